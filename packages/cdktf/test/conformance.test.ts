// The conformance table (packages/core/conformance/cases.json) run against the construct's
// `mode: 'http-data-source'`, the one mode whose rules are Terraform expressions rather than core
// itself (the default and ephemeral modes run core in the lacework-auth provider): the base URL
// rules on values only known at plan time, the postconditions on the token endpoint's answer, the
// expiry cap, and the token request. Expressions are evaluated by the real Terraform
// (`terraform console`), bound to each case's values.
import { TOKEN_PATH } from '@lacework-auth/core';
import {
  caseOptions,
  caseOutcome,
  conformanceCases,
  requestComparison,
  scriptedAnswer,
} from '@lacework-auth/test-kit';
import { describe, expect, it } from 'vitest';
import './support/temp-dir.js';
import { flavours, newStack, synthJson } from './support/flavours.js';
import { evaluateLocals } from './support/terraform-console.js';
import { baseUrlVariableTokens } from './support/variable-stacks.js';

const cases = conformanceCases();
const flavour = flavours[0] as (typeof flavours)[number];
const { LaceworkAccessToken, LaceworkKeyVariables } = flavour.pkg;

describe('conformance: base URLs given as Terraform variables (http-data-source mode)', () => {
  it('gives each case’s URL, or fails its precondition', async () => {
    const data = baseUrlVariableTokens(flavour);
    const locals: Record<string, unknown> = {};
    const names: string[] = [];
    cases.baseUrl.forEach(({ input, setting }, index) => {
      const [token, variable] =
        setting === 'account'
          ? [data.prod_token, 'prod_account']
          : [data.dev_token, 'dev_base_url'];
      const bind = (text: string) => text.replaceAll(`var.${variable}`, `local.in_${index}`);
      locals[`in_${index}`] = input;
      locals[`url_${index}`] = bind(token.url);
      locals[`ok_${index}`] = bind(token.lifecycle.precondition[0].condition);
      names.push(`url_${index}`, `ok_${index}`);
    });
    const result = await evaluateLocals(locals, names);
    const outcomes = cases.baseUrl.map((_, index) =>
      result[`ok_${index}`]
        ? { url: String(result[`url_${index}`]).replace(TOKEN_PATH, '') }
        : { error: 'ERR_LW_INVALID_BASE_URL' },
    );
    expect(outcomes).toEqual(cases.baseUrl.map((testCase) => testCase.expect));
  }, 60_000);

  it('gives each literal case’s URL at synth time, or refuses it', async () => {
    for (const { input, setting, expect: expected } of cases.baseUrl) {
      const stack = newStack(flavour);
      const key = new LaceworkKeyVariables(stack, 'key');
      const outcome = await caseOutcome(() => ({
        url: new LaceworkAccessToken(stack, 'lacework', { ...key.config(), [setting]: input })
          .baseUrl,
      }));
      expect(outcome, `${setting} ${input}`).toEqual(expected);
    }
  });
});

describe('conformance: the token exchange (http-data-source mode under Terraform)', () => {
  it('sends each case’s request: headers and body', async () => {
    const requests = cases.exchange.filter((c) => c.expect.sent !== false && c.expect.request);
    const locals: Record<string, unknown> = {};
    const names: string[] = [];
    const stacks = requests.map((testCase, index) => {
      const stack = newStack(flavour, `request${index}`);
      const key = new LaceworkKeyVariables(stack, 'key');
      // The key from variables (bound to the case's below); the case's other options as given.
      const { keyId, secret, ...settings } = caseOptions(testCase);
      new LaceworkAccessToken(stack, 'lacework', {
        ...key.config(),
        baseUrl: 'http://127.0.0.1:9',
        ...settings,
      });
      const http = synthJson(flavour, stack).data.http.lacework;
      // sensitive() would make the console print "(sensitive value)": the values are the test's.
      const bind = (text: string) =>
        text
          .replaceAll('var.lacework_key_id', `local.key_id_${index}`)
          .replaceAll('var.lacework_secret', `local.secret_${index}`)
          .replaceAll('sensitive(', '(');
      locals[`key_id_${index}`] = keyId;
      locals[`secret_${index}`] = secret;
      locals[`body_${index}`] = bind(http.request_body);
      locals[`headers_${index}`] = Object.fromEntries(
        Object.entries(http.request_headers as Record<string, string>).map(([name, value]) => [
          name.toLowerCase(),
          bind(value),
        ]),
      );
      names.push(`body_${index}`, `headers_${index}`);
      return testCase;
    });
    const result = await evaluateLocals(locals, names);
    stacks.forEach((testCase, index) => {
      const { actual, expected } = requestComparison(testCase, {
        headers: result[`headers_${index}`] as Record<string, string>,
        body: String(result[`body_${index}`]),
      });
      expect(actual, testCase.name).toEqual(expected);
    });
  }, 60_000);

  it('accepts exactly the answers the table turns into tokens, with the capped expiry', async () => {
    const answered = cases.exchange.filter((c) => c.answer !== undefined);
    const locals: Record<string, unknown> = {};
    const names: string[] = [];
    const now = Date.now();
    answered.forEach((testCase, index) => {
      const stack = newStack(flavour, `answer${index}`);
      const key = new LaceworkKeyVariables(stack, 'key');
      const token = new LaceworkAccessToken(stack, 'lacework', {
        ...key.config(),
        account: 'acme',
        ...(testCase.input.expiryTime ? { expiryTime: testCase.input.expiryTime } : {}),
      });
      new flavour.lib.TerraformOutput(stack, 'expires', { value: token.expiresAt });
      const json = synthJson(flavour, stack);
      const http = json.data.http.lacework;
      const answer = scriptedAnswer(testCase, now);
      const response = {
        status_code: answer.status,
        response_body: typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body),
        response_headers: answer.headers ?? {},
      };
      locals[`r_${index}`] = response;
      const bindSelf = (text: string) => text.replaceAll('self.', `local.r_${index}.`);
      const conditions = http.lifecycle.postcondition.map((check: { condition: string }) =>
        bindSelf(check.condition).replace(/^\$\{(.*)\}$/s, '$1'),
      );
      locals[`ok_${index}`] = `\${${conditions.map((c: string) => `(${c})`).join(' && ')}}`;
      // plantimestamp() is when the plan started; the console knows only timestamp().
      locals[`expires_${index}`] = String(json.output.expires.value)
        .replaceAll('data.http.lacework.response_body', `local.r_${index}.response_body`)
        .replaceAll('plantimestamp()', 'timestamp()');
      names.push(`ok_${index}`);
      if (testCase.expect.result) names.push(`expires_${index}`);
    });
    const result = await evaluateLocals(locals, names);
    answered.forEach((testCase, index) => {
      expect(result[`ok_${index}`], testCase.name).toBe(testCase.expect.result !== undefined);
      if (!testCase.expect.result) return;
      const lifetime = Math.round((Date.parse(String(result[`expires_${index}`])) - now) / 1000);
      expect(lifetime, testCase.name).toBeLessThanOrEqual(
        testCase.expect.result.lifetimeSeconds + 5,
      );
      expect(lifetime, testCase.name).toBeGreaterThanOrEqual(
        testCase.expect.result.lifetimeSeconds - 5,
      );
    });
  }, 60_000);

  it('refuses an expiryTime outside 1..86400 at synth time, as the table says', async () => {
    for (const testCase of cases.exchange.filter((c) => c.expect.sent === false)) {
      const stack = newStack(flavour);
      const key = new LaceworkKeyVariables(stack, 'key');
      const outcome = await caseOutcome(() => {
        new LaceworkAccessToken(stack, 'lacework', {
          ...key.config(),
          account: 'acme',
          expiryTime: testCase.input.expiryTime,
        });
        return { accepted: true };
      });
      expect(outcome, testCase.name).toEqual({ error: testCase.expect.error });
    }
  });
});
