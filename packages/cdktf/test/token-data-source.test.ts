import { MAX_TOKEN_LENGTH, PATTERNS } from '@lacework-auth/core/protocol';
import { describe, expect, it } from 'vitest';
import './support/temp-dir.js';
import { flavours, newStack, synthJson } from './support/flavours.js';
import { expiryVariableToken, keyVariableToken } from './support/variable-stacks.js';

const STATUS_CONDITION = '${self.status_code >= 200 && self.status_code < 300}';

describe.each(flavours)('the token data source ($name)', (flavour) => {
  const { LaceworkAccessToken, LaceworkKeyVariables } = flavour.pkg;

  it('synthesizes the exact POST to /api/v2/access/tokens with the key from variables', () => {
    const stack = newStack(flavour);
    const key = new LaceworkKeyVariables(stack, 'key');
    new LaceworkAccessToken(stack, 'lacework', { account: 'acme', ...key.config() });

    const json = synthJson(flavour, stack);
    const { lifecycle, ...attributes } = json.data.http.lacework;
    expect(attributes).toEqual({
      url: 'https://acme.lacework.net/api/v2/access/tokens',
      method: 'POST',
      request_headers: {
        'X-LW-UAKS': '${sensitive(var.lacework_secret)}',
        'Content-Type': 'application/json',
        Accept: 'application/json',
      },
      request_body: '${jsonencode({"keyId" = var.lacework_key_id, "expiryTime" = 3600})}',
      request_timeout_ms: 30000,
      retry: { attempts: 3, min_delay_ms: 1000, max_delay_ms: 10000 },
    });
    expect(Object.keys(lifecycle)).toEqual(['postcondition']);
    expect(lifecycle.postcondition).toHaveLength(2);
    expect(lifecycle.postcondition[0].condition).toBe(STATUS_CONDITION);
    // The data source is data.http.<id>, as if created directly in the stack.
    expect(Object.keys(json.data.http)).toEqual(['lacework']);
  });

  it('passes the same assertions through the Testing matchers', () => {
    const stack = newStack(flavour);
    const key = new LaceworkKeyVariables(stack, 'key');
    new LaceworkAccessToken(stack, 'lacework', {
      account: 'acme.fra.lacework.net',
      ...key.config(),
    });
    const synthesized = flavour.lib.Testing.synth(stack);
    expect(
      flavour.lib.Testing.toHaveDataSourceWithProperties(synthesized, 'http', {
        url: 'https://acme.fra.lacework.net/api/v2/access/tokens',
        method: 'POST',
        request_headers: {
          'X-LW-UAKS': '${sensitive(var.lacework_secret)}',
          'Content-Type': 'application/json',
          Accept: 'application/json',
        },
      }),
    ).toBe(true);
    expect(
      flavour.lib.Testing.toHaveDataSourceWithProperties(synthesized, 'http', { method: 'GET' }),
    ).toBe(false);
  });

  it('synthesizes inside Testing.synthScope, as a construct library test would', () => {
    const synthesized = flavour.lib.Testing.synthScope((scope) => {
      new LaceworkAccessToken(scope, 'lacework', {
        mode: 'http-data-source',
        account: 'acme',
        keyId: new flavour.lib.TerraformVariable(scope, 'key_id', {}).stringValue,
        secret: new flavour.lib.TerraformVariable(scope, 'secret', { sensitive: true }).stringValue,
      });
    });
    expect(flavour.lib.Testing.toHaveDataSource(synthesized, 'http')).toBe(true);
    expect(
      flavour.lib.Testing.toHaveDataSourceWithProperties(synthesized, 'http', {
        request_headers: { 'X-LW-UAKS': '${sensitive(var.secret)}' },
        request_body: '${jsonencode({"keyId" = var.key_id, "expiryTime" = 3600})}',
      }),
    ).toBe(true);
  });

  it('sends Account-Name for a sub-account and honours expiryTime, retry and timeout', () => {
    const data = keyVariableToken(flavour, {
      baseUrl: 'http://127.0.0.1:8080/some/path',
      subAccount: 'acme-dev',
      expiryTime: 900,
      retry: { limit: 5, backoffStart: 200, backoffLimit: 2000 },
      timeout: 5000,
    });
    expect(data.url).toBe('http://127.0.0.1:8080/api/v2/access/tokens');
    expect(data.request_headers['Account-Name']).toBe('acme-dev');
    expect(data.request_body).toBe(
      '${jsonencode({"keyId" = var.lacework_key_id, "expiryTime" = 900})}',
    );
    expect(data.retry).toEqual({ attempts: 5, min_delay_ms: 200, max_delay_ms: 2000 });
    expect(data.request_timeout_ms).toBe(5000);
  });

  it('still takes the deprecated retry and timeout names of 0.1.0', () => {
    const data = keyVariableToken(flavour, {
      account: 'acme',
      retry: { attempts: 4, minDelayMs: 100, maxDelayMs: 900 },
      requestTimeoutMs: 7000,
    });
    expect(data.retry).toEqual({ attempts: 4, min_delay_ms: 100, max_delay_ms: 900 });
    expect(data.request_timeout_ms).toBe(7000);
  });

  it('leaves the retry block out with retry: false', () => {
    const data = keyVariableToken(flavour, { account: 'acme', retry: false });
    expect(data.retry).toBeUndefined();
  });

  it('takes the expiry time from a number variable and checks it at plan time', () => {
    const data = expiryVariableToken(flavour);
    expect(data.request_body).toBe(
      '${jsonencode({"keyId" = var.lacework_key_id, "expiryTime" = var.expiry})}',
    );
    // Checked by Terraform once the value is known, with core's rule and message.
    expect(data.lifecycle.precondition).toEqual([
      {
        condition:
          '${(((var.expiry >= 1) && (var.expiry <= 86400)) && (floor(var.expiry) == var.expiry))}',
        error_message:
          '`expiryTime` must be an integer from 1 to 86400 (seconds), got ${var.expiry}.',
      },
    ]);
  });

  it('explains a failed exchange by status: rejected key, rate limit, server error, wrong URL', () => {
    const data = keyVariableToken(flavour, {
      account: 'acme',
      subAccount: 'acme-dev',
    });
    const [status, body] = data.lifecycle.postcondition;
    const message: string = status.error_message;
    expect(message).toMatch(
      /^Lacework did not issue an API access token: POST https:\/\/acme\.lacework\.net\/api\/v2\/access\/tokens answered HTTP \$\{self\.status_code\}/,
    );
    // Lacework's own {"message"} is quoted when there is one.
    expect(message).toContain(
      '%{ if try(tostring(jsondecode(self.response_body).message), "") != "" } ("${try(tostring(jsondecode(self.response_body).message), "")}")%{ endif }',
    );
    expect(message).toContain(
      '%{ if contains([400, 401, 403], self.status_code) }The API key was rejected.',
    );
    expect(message).toContain('TF_VAR_lacework_key_id and TF_VAR_lacework_secret');
    expect(message).toContain('may act on the sub-account "acme-dev"');
    expect(message).toContain('Settings > API keys');
    expect(message).toContain('%{ if self.status_code == 429 }Lacework rate-limited this key');
    expect(message).toContain('%{ if self.status_code >= 500 }Lacework had a server error');
    expect(message).toContain('check the account or base URL');
    expect(message.endsWith('%{ endif }%{ endif }%{ endif }')).toBe(true);

    // The token rules of core's protocol module (the conformance test runs them under Terraform).
    expect(body.condition).toBe(
      `\${!(self.status_code >= 200 && self.status_code < 300) || try(can(regex("${PATTERNS.bearerToken}", jsondecode(self.response_body).token)) && length(jsondecode(self.response_body).token) <= ${MAX_TOKEN_LENGTH} && can(timecmp(jsondecode(self.response_body).expiresAt, "2000-01-01T00:00:00Z")), false)}`,
    );
    expect(body.error_message).toContain('but not with a Lacework token');
    expect(body.error_message).toContain('${try(self.response_headers["Content-Type"], "none")}');
  });

  it('escapes template sequences in literal values so Terraform sends them unchanged', () => {
    const stack = newStack(flavour);
    const key = new LaceworkKeyVariables(stack, 'key');
    new LaceworkAccessToken(stack, 'lacework', {
      mode: 'http-data-source',
      account: 'acme',
      keyId: 'KEY_${oops}',
      secret: key.secret,
      subAccount: 'team%{x}',
    });
    const data = synthJson(flavour, stack).data.http.lacework;
    expect(data.request_body).toBe(
      '${jsonencode({"keyId" = "KEY_$${oops}", "expiryTime" = 3600})}',
    );
    expect(data.request_headers['Account-Name']).toBe('team%%{x}');
  });

  it('waits for dependsOn and uses an explicit provider without adding a default one', () => {
    const stack = newStack(flavour);
    const key = new LaceworkKeyVariables(stack, 'key');
    // Prebuilt provider bindings implement `alias`; the base class only declares it.
    class AliasedHttp extends flavour.lib.TerraformProvider {
      override get alias() {
        return 'proxy';
      }
      override set alias(_value: string | undefined) {}
    }
    const proxy = new AliasedHttp(stack, 'proxy', {
      terraformResourceType: 'http',
      terraformProviderSource: 'hashicorp/http',
      terraformGeneratorMetadata: { providerName: 'http' },
    });
    const before = new flavour.lib.TerraformDataSource(stack, 'before', {
      terraformResourceType: 'http',
    });
    new LaceworkAccessToken(stack, 'lacework', {
      account: 'acme',
      ...key.config(),
      provider: proxy,
      dependsOn: [before],
    });
    const json = synthJson(flavour, stack);
    expect(json.data.http.lacework.provider).toBe('http.proxy');
    expect(json.data.http.lacework.depends_on).toEqual(['data.http.before']);
    expect(json.provider.http).toEqual([{ alias: 'proxy' }]);
  });
});
