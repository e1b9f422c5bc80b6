import { describe, expect, it } from 'vitest';
import './support/temp-dir.js';
import { flavours } from './support/flavours.js';
import { evaluateLocals } from './support/terraform-console.js';
import {
  baseUrlVariableTokens,
  expiryVariableToken,
  keyVariableToken,
} from './support/variable-stacks.js';

// Responses the token endpoint may give, as the http data source exposes them.
const RESPONSES = {
  issued: {
    status_code: 201,
    response_body: '{"expiresAt":"2030-01-01T00:00:00.000Z","token":"T"}',
    response_headers: { 'Content-Type': 'application/json' },
  },
  rejected: {
    status_code: 401,
    response_body: '{"message":"Invalid API key or secret"}',
    response_headers: { 'Content-Type': 'application/json' },
  },
  forbidden: {
    status_code: 403,
    response_body: '{"message":"Account-Name not allowed"}',
    response_headers: {},
  },
  badExpiry: {
    status_code: 400,
    response_body: '{"message":"expiryTime out of range"}',
    response_headers: {},
  },
  rateLimited: {
    status_code: 429,
    response_body: '{"message":"Too many requests"}',
    response_headers: {},
  },
  serverError: {
    status_code: 503,
    response_body: '<html>down</html>',
    response_headers: { 'Content-Type': 'text/html' },
  },
  notFound: { status_code: 404, response_body: 'no route', response_headers: {} },
  loginPage: {
    status_code: 200,
    response_body: '<html>sign in</html>',
    response_headers: { 'Content-Type': 'text/html' },
  },
  oddMessage: {
    status_code: 401,
    response_body: '{"message":{"nested":true}}',
    response_headers: {},
  },
} as const;

type Case = keyof typeof RESPONSES;

describe.each(flavours)('the synthesized expressions under real Terraform ($name)', (flavour) => {
  it('postconditions pass only for a token response, and each failure message names its cause', async () => {
    const data = keyVariableToken(flavour, { account: 'acme' });
    const [status, body] = data.lifecycle.postcondition;

    // `self` becomes a local holding each response; everything else is evaluated as synthesized.
    const locals: Record<string, unknown> = {};
    const names: string[] = [];
    for (const [name, response] of Object.entries(RESPONSES)) {
      locals[`r_${name}`] = response;
      const bind = (text: string) => text.replaceAll('self.', `local.r_${name}.`);
      for (const [check, field] of [
        ['status', status],
        ['body', body],
      ] as const) {
        locals[`${check}_ok_${name}`] = bind(field.condition);
        locals[`${check}_msg_${name}`] = bind(field.error_message);
        names.push(`${check}_ok_${name}`, `${check}_msg_${name}`);
      }
    }
    const result = await evaluateLocals(locals, names);
    const ok = (check: string, name: Case) => result[`${check}_ok_${name}`];
    const message = (check: string, name: Case) => String(result[`${check}_msg_${name}`]);

    expect(ok('status', 'issued')).toBe(true);
    expect(ok('body', 'issued')).toBe(true);
    for (const name of [
      'rejected',
      'forbidden',
      'badExpiry',
      'rateLimited',
      'serverError',
      'notFound',
      'oddMessage',
    ] as const) {
      expect(ok('status', name), name).toBe(false);
      expect(ok('body', name), name).toBe(true); // one error per failure, not two
    }
    expect(ok('status', 'loginPage')).toBe(true);
    expect(ok('body', 'loginPage')).toBe(false);

    const prefix =
      'Lacework did not issue an API access token: POST https://acme.lacework.net/api/v2/access/tokens answered HTTP';
    expect(message('status', 'rejected')).toMatch(
      new RegExp(
        `^${prefix.replaceAll('.', '\\.')} 401 \\("Invalid API key or secret"\\)\\. The API key was rejected\\.`,
      ),
    );
    expect(message('status', 'forbidden')).toContain(
      'HTTP 403 ("Account-Name not allowed"). The API key was rejected.',
    );
    expect(message('status', 'badExpiry')).toContain('expiryTime outside 1..86400');
    expect(message('status', 'rateLimited')).toContain(
      'HTTP 429 ("Too many requests"). Lacework rate-limited this key',
    );
    expect(message('status', 'serverError')).toBe(
      `${prefix} 503. Lacework had a server error on every attempt. Run again later.`,
    );
    expect(message('status', 'notFound')).toContain(
      'HTTP 404. This is not the Lacework token endpoint',
    );
    // A non-string message must not break the error message itself.
    expect(message('status', 'oddMessage')).toContain('HTTP 401. The API key was rejected.');
    expect(message('body', 'loginPage')).toContain('HTTP 200 but not with a Lacework token');
    expect(message('body', 'loginPage')).toContain('got Content-Type "text/html"');
    // Terraform evaluates messages even when the check passes: they never include the token.
    expect(message('status', 'issued')).not.toContain('"T"');
    expect(message('body', 'issued')).not.toContain('"T"');
  }, 30_000);

  it('turns account and base URL variables into the same URLs core would, and rejects bad ones', async () => {
    const data = baseUrlVariableTokens(flavour);
    const accountCheck = data.prod_token.lifecycle.precondition[0];
    const baseUrlCheck = data.dev_token.lifecycle.precondition[0];

    const accounts = {
      plain: ['acme', 'https://acme.lacework.net/api/v2/access/tokens', true],
      upper: [' ACME.lacework.net ', 'https://acme.lacework.net/api/v2/access/tokens', true],
      url: [
        'https://acme.fra.lacework.net/ui',
        'https://acme.fra.lacework.net/api/v2/access/tokens',
        true,
      ],
      underscore: ['ac_me', 'https://ac_me.lacework.net/api/v2/access/tokens', false],
      tooDeep: ['a.b.c.d', 'https://a.b.c.d.lacework.net/api/v2/access/tokens', false],
    } as const;
    const baseUrls = {
      emulator: ['http://127.0.0.1:8080/', 'http://127.0.0.1:8080/api/v2/access/tokens', true],
      proxy: [
        'https://proxy.corp:8443/lacework?x=1',
        'https://proxy.corp:8443/api/v2/access/tokens',
        true,
      ],
      remoteHttp: ['http://proxy.corp', 'http://proxy.corp/api/v2/access/tokens', false],
      ftp: ['ftp://acme.lacework.net', 'ftp://acme.lacework.net/api/v2/access/tokens', false],
    } as const;

    const locals: Record<string, unknown> = {};
    const names: string[] = [];
    const add = (name: string, variable: string, value: string, url: string, condition: string) => {
      locals[`in_${name}`] = value;
      const bind = (text: string) => text.replaceAll(`var.${variable}`, `local.in_${name}`);
      locals[`url_${name}`] = bind(url);
      locals[`ok_${name}`] = bind(condition);
      names.push(`url_${name}`, `ok_${name}`);
    };
    for (const [name, [value]] of Object.entries(accounts)) {
      add(name, 'prod_account', value, data.prod_token.url, accountCheck.condition);
    }
    for (const [name, [value]] of Object.entries(baseUrls)) {
      add(name, 'dev_base_url', value, data.dev_token.url, baseUrlCheck.condition);
    }
    const result = await evaluateLocals(locals, names);
    for (const [name, [, url, valid]] of [
      ...Object.entries(accounts),
      ...Object.entries(baseUrls),
    ]) {
      expect(result[`url_${name}`], name).toBe(url);
      expect(result[`ok_${name}`], name).toBe(valid);
    }
    expect(accountCheck.error_message).toContain(
      'Check the `account` value (e.g. TF_VAR_lacework_account)',
    );
    expect(baseUrlCheck.error_message).toContain('http:// only for loopback hosts');
  }, 30_000);
  it('checks an expiry time from a variable like core does', async () => {
    const [check] = expiryVariableToken(flavour).lifecycle.precondition;
    const values = {
      one: [1, true],
      hour: [3600, true],
      max: [86400, true],
      zero: [0, false],
      fraction: [1.5, false],
      tooLong: [86401, false],
    } as const;
    const locals: Record<string, unknown> = {};
    const names: string[] = [];
    for (const [name, [value]] of Object.entries(values)) {
      locals[`in_${name}`] = value;
      locals[`ok_${name}`] = check.condition.replaceAll('var.expiry', `local.in_${name}`);
      locals[`msg_${name}`] = check.error_message.replaceAll('var.expiry', `local.in_${name}`);
      names.push(`ok_${name}`, `msg_${name}`);
    }
    const result = await evaluateLocals(locals, names);
    for (const [name, [, valid]] of Object.entries(values))
      expect(result[`ok_${name}`], name).toBe(valid);
    expect(result.msg_fraction).toBe(
      '`expiryTime` must be an integer from 1 to 86400 (seconds), got 1.5.',
    );
  }, 30_000);
});
