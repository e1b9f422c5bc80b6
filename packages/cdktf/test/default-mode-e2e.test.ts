import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createTokenProvider } from '@lacework-auth/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { runSavedPlan } from './support/artifacts.js';
import { useE2e } from './support/e2e.js';
import { synthExampleStack } from './support/stacks.js';

// The default mode on examples/cdktf-stack (cdktf 0.21) under real Terraform 1.11: the
// lacework-auth provider, installed offline with the package's CLI, reads the key from
// LW_API_KEY / LW_API_SECRET, so the secret is in nothing Terraform writes or prints.

const e2e = useE2e();
let stackDir: string;
beforeAll(async () => {
  stackDir = await synthExampleStack(join(e2e.outdir, 'default'), { mode: 'data-source' });
}, 120_000);

const exchanges = (since: number) =>
  e2e.emu
    .requests()
    .slice(since)
    .filter((request) => request.route === 'token');

describe('examples/cdktf-stack in the default mode (data "lacework-auth_token")', () => {
  it('init, plan -out, apply, show -json: a working token, and the secret in no state, plan, JSON or output', {
    timeout: 300_000,
  }, async () => {
    const since = e2e.emu.requests().length;
    const workspace = e2e.workspace(stackDir);
    const run = await runSavedPlan(workspace, e2e.providerEnv());
    expect(run.failed?.stderr ?? '').toBe('');
    expect(run.runs.map((r) => r.code)).toEqual([0, 0, 0, 0, 0, 0]);

    // The token works: Terraform called UserProfile with it and got the user.
    expect(run.outputs?.username?.value).toBe(`emulator-user@${e2e.key.account}.example`);
    const token = String(run.outputs?.token?.value);
    expect(e2e.emu.isIssuedToken(token)).toBe(true);
    // The exchange the provider made is core's: the key id in the body, its expiryTime.
    const [exchange, ...more] = exchanges(since);
    expect(more).toEqual([]);
    expect(exchange?.body).toEqual({ keyId: e2e.key.keyId, expiryTime: 3600 });

    const leaks = e2e.leaks(workspace, run.runs);
    // What was searched: the state, every member of the saved plan, both show -json outputs.
    expect(leaks.searched).toEqual(
      expect.arrayContaining([
        'terraform.tfstate',
        'tfplan',
        'tfplan:tfplan',
        'tfplan:tfstate',
        'tfplan:tfstate-prev',
        'terraform show -json (stdout)',
        'terraform show -json tfplan (stdout)',
        'terraform output -json (stdout)',
      ]),
    );
    expect(leaks.secret).toEqual([]);

    // The token is in state, as the default mode documents: a sensitive attribute of the data
    // source, with its expiry; the plan output never shows it.
    const tokenPlaces = leaks.tokens;
    expect(tokenPlaces).toContain('a token in terraform.tfstate');
    expect(tokenPlaces.filter((p) => /terraform (plan|apply|init)/.test(p))).toEqual([]);
    const state = JSON.parse(readFileSync(join(workspace.dir, 'terraform.tfstate'), 'utf8'));
    const data = state.resources.find((r: { type: string }) => r.type === 'lacework-auth_token');
    expect(data.instances[0].attributes.expires_at).toBe(run.outputs?.expires_at?.value);
    const plan = run.runs[1];
    expect(plan?.stdout).toMatch(/\btoken\s+= \(sensitive value\)/);
  });

  it('plan, apply and the next plan share one exchange through the 0600 token cache', {
    timeout: 300_000,
  }, async () => {
    const before = e2e.emu.stats().exchanges;
    const workspace = e2e.workspace(stackDir);
    const env = e2e.providerEnv();
    const run = await runSavedPlan(workspace, env, [
      ['init'],
      ['plan', '-out=tfplan'],
      ['apply', 'tfplan'],
      ['plan'],
      ['apply', '-auto-approve'],
    ]);
    expect(run.failed?.stderr ?? '').toBe('');
    // Three runs read the token (apply of a saved plan reads nothing new): one exchange.
    expect(e2e.emu.stats().exchanges - before).toBe(1);

    // The cache: private files under the workspace's HOME, holding the token but never the secret.
    const cache = join(workspace.dir, '..', 'home', '.cache', 'lacework-auth');
    const files = readdirSync(cache).filter((name) => name.endsWith('.json'));
    expect(files).toHaveLength(1);
    for (const name of files) {
      const path = join(cache, name);
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(readFileSync(path, 'utf8')).not.toContain(e2e.key.secret);
    }
  });

  it('with LW_NOCACHE=1 every run exchanges (the cache is what saves them)', {
    timeout: 300_000,
  }, async () => {
    const before = e2e.emu.stats().exchanges;
    const workspace = e2e.workspace(stackDir);
    const run = await runSavedPlan(workspace, { ...e2e.providerEnv(), LW_NOCACHE: '1' }, [
      ['init'],
      ['plan'],
      ['plan'],
    ]);
    expect(run.failed?.stderr ?? '').toBe('');
    expect(e2e.emu.stats().exchanges - before).toBe(2);
  });

  it("sends core's token request: the same headers and body, Account-Name for a sub-account", {
    timeout: 300_000,
  }, async () => {
    const subAccount = e2e.key.subAccounts[0] as string;
    const subStack = await synthExampleStack(join(e2e.outdir, 'sub'), {
      mode: 'data-source',
      subAccount,
    });
    const since = e2e.emu.requests().length;
    const run = await runSavedPlan(e2e.workspace(subStack), e2e.providerEnv(), [
      ['init'],
      ['plan'],
    ]);
    expect(run.failed?.stderr ?? '').toBe('');
    // The same exchange made by core directly, for comparison.
    await createTokenProvider({
      baseUrl: e2e.emu.url,
      keyId: e2e.key.keyId,
      secret: e2e.key.secret,
      subAccount,
      env: {},
    }).getToken();
    const [fromTerraform, fromCore] = exchanges(since);
    expect(fromTerraform?.headers['account-name']).toBe(subAccount);
    expect(fromTerraform?.status).toBe(201);
    const compared = [
      'account-name',
      'org-access',
      'x-lw-uaks',
      'content-type',
      'accept',
      'user-agent',
    ];
    const shape = (r: typeof fromCore) => ({
      method: r?.method,
      body: r?.body,
      headers: Object.fromEntries(
        Object.entries(r?.headers ?? {}).filter(([name]) => compared.includes(name)),
      ),
    });
    expect(shape(fromTerraform)).toEqual(shape(fromCore));
  });

  it("a wrong secret fails plan with core's message, without quoting the secret", {
    timeout: 300_000,
  }, async () => {
    const wrong = `_${'0badc0de'.repeat(4)}`;
    const workspace = e2e.workspace(stackDir);
    const run = await runSavedPlan(workspace, e2e.providerEnv({ secret: wrong }), [
      ['init'],
      ['plan', '-out=tfplan'],
    ]);
    expect(run.failed?.args[0]).toBe('plan');
    const text = `${run.failed?.stdout}${run.failed?.stderr}`.replace(/\s+/g, ' ');
    expect(text).toContain('Lacework did not issue an API access token');
    expect(text).toMatch(/Lacework rejected the API key .* \(HTTP 401/);
    expect(text).toContain('[ERR_LW_KEY_REJECTED]');
    expect(e2e.leaks(workspace, run.runs, wrong).secret).toEqual([]);
  });
});
