import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EmulatorOptions } from '@lacework-auth/emulator';
import { CANARY_SECRET, type OnFinished } from '@lacework-auth/test-kit/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliHome } from './support/cli.js';
import { routeRequests } from './support/emulator.js';
import { assertBuilt, DIST_API_CLI, DIST_CLI, runNode } from './support/spawn.js';

interface Alert {
  alertId: number;
}

const noMatch = JSON.stringify({
  filters: [{ field: 'severity', expression: 'eq', value: 'None' }],
});

async function setup(
  onFinished: OnFinished,
  options: { canary?: boolean; emulator?: EmulatorOptions } = {},
) {
  const { emu, key, home, env } = await cliHome(onFinished, { ...options, prefix: 'lw-api-cli-' });
  // What the emulator's banner tells a shell user to export.
  env.LW_ACCOUNT = key.account;
  const api = (args: string[], extra: Record<string, string> = {}, stdin?: string) =>
    runNode([DIST_API_CLI, ...args], { ...env, ...extra }, 15_000, stdin);
  const token = (args: string[] = []) => runNode([DIST_CLI, ...args], env);
  const apiPaths = () =>
    routeRequests(emu, 'api').map(
      (r) => `${r.method} ${r.path.replace(/[0-9a-f]{32}$/, '…')} ${r.status}`,
    );
  return { emu, key, home, env, api, token, apiPaths };
}

// Each test has its own emulator and HOME, so they run side by side (spawning Node is slow).
describe.concurrent('lacework-api CLI', () => {
  beforeAll(assertBuilt);

  it('get UserProfile prints the JSON answer, with the token lacework-token cached', async ({
    onTestFinished,
  }) => {
    const { emu, api, token } = await setup(onTestFinished);
    expect((await token()).code).toBe(0);
    const [result, ...variants] = await Promise.all([
      api(['get', 'UserProfile']),
      api(['get', '/api/v2/UserProfile']),
      api(['get', 'v2/CloudAccounts/AwsCfg']),
    ]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const body = JSON.parse(result.stdout) as { data: { username: string }[] };
    expect(body.data[0]?.username).toMatch(/emulator-user@/);
    expect(result.stdout).toMatch(/^\{\n {2}"data": \[/); // indented, as `lacework api` prints
    expect(variants.map((r) => r.code)).toEqual([0, 0]);
    // The same credential chain and cache: one exchange for both commands, and across runs.
    expect(emu.stats()).toMatchObject({ exchanges: 1, apiCalls: 3 });
  });

  it('post --data @file --all prints every item of every page as one JSON array', async ({
    onTestFinished,
  }) => {
    const { home, api, apiPaths } = await setup(onTestFinished, { emulator: { pageSize: 2 } });
    const file = join(home, 'search.json');
    await writeFile(file, JSON.stringify({ returns: ['alertId'] }));
    const result = await api(['post', 'Alerts/search', '--data', `@${file}`, '--all']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(result.stdout)).toEqual(
      [1000, 1001, 1002, 1003, 1004].map((alertId) => ({ alertId })),
    );
    expect(apiPaths()).toEqual([
      'POST /api/v2/Alerts/search 200',
      'GET /api/v2/NextPage/… 200',
      'GET /api/v2/NextPage/… 200',
    ]);
  });

  it('--jsonl prints one item per line; --data @- reads stdin', async ({ onTestFinished }) => {
    const { api } = await setup(onTestFinished, { emulator: { pageSize: 2 } });
    const result = await api(['post', 'Alerts/search', '-d', '@-', '--jsonl'], {}, '{}');
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.map((line) => (JSON.parse(line) as Alert).alertId)).toEqual([
      1000, 1001, 1002, 1003, 1004,
    ]);
  });

  it('GET lists page too: get Alerts?startTime=&endTime= --all', async ({ onTestFinished }) => {
    const { api } = await setup(onTestFinished, { emulator: { pageSize: 2 } });
    const now = Date.now();
    const query = new URLSearchParams({
      startTime: new Date(now - 24 * 3600_000).toISOString(),
      endTime: new Date(now).toISOString(),
    });
    const result = await api(['get', `Alerts?${query}`, '--all']);
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as Alert[]).map((a) => a.alertId)).toHaveLength(5);
  });

  it('an empty search (204) prints {"data": []}, [] with --all, nothing with --jsonl', async ({
    onTestFinished,
  }) => {
    const { api, apiPaths } = await setup(onTestFinished);
    const [plain, all, jsonl] = await Promise.all([
      api(['post', 'Alerts/search', '--data', noMatch]),
      api(['post', 'Alerts/search', '--data', noMatch, '--all']),
      api(['post', 'Alerts/search', '--data', noMatch, '--jsonl']),
    ]);
    expect(plain).toMatchObject({ code: 0, stdout: '{\n  "data": []\n}\n' });
    expect(all).toMatchObject({ code: 0, stdout: '[]\n' });
    expect(jsonl).toMatchObject({ code: 0, stdout: '' });
    expect(apiPaths()).toEqual(Array(3).fill('POST /api/v2/Alerts/search 204'));
  });

  it('--subaccount sends Account-Name; --profile reads ~/.lacework.toml', async ({
    onTestFinished,
  }) => {
    const { emu, key, home, api } = await setup(onTestFinished);
    const sub = key.subAccounts[0] as string;
    const viaFlag = await api(['get', 'CloudAccounts', '--subaccount', sub]);
    expect(viaFlag.code).toBe(0);
    expect((JSON.parse(viaFlag.stdout) as { data: { name: string }[] }).data[0]?.name).toMatch(
      `${sub}-`,
    );
    await writeFile(
      join(home, '.lacework.toml'),
      `[ci]\naccount = "${key.account}"\nsubaccount = "${sub}"\napi_key = "${key.keyId}"\napi_secret = "${key.secret}"\n`,
      { mode: 0o600 },
    );
    const viaProfile = await api(['get', 'UserProfile', '--profile', 'ci', '--nocache'], {
      LW_ACCOUNT: '',
      LW_API_KEY: '',
      LW_API_SECRET: '',
    });
    expect(viaProfile).toMatchObject({ code: 0, stderr: '' });
    const api2 = routeRequests(emu, 'api');
    expect(api2.map((r) => r.headers['account-name'])).toEqual([sub, sub]);
  });

  it('an HTTP error exits 1 with the status, the server message and the code on stderr', async ({
    onTestFinished,
  }) => {
    const { api } = await setup(onTestFinished);
    const now = Date.now();
    const window = JSON.stringify({
      timeFilter: {
        startTime: new Date(now - 8 * 24 * 3600_000).toISOString(),
        endTime: new Date(now).toISOString(),
      },
    });
    const [missing, tooLong] = await Promise.all([
      api(['get', 'CloudAccounts/UNKNOWN']),
      api(['post', 'Alerts/search', '--data', window]),
    ]);
    expect(missing).toMatchObject({ code: 1, stdout: '' });
    expect(missing.stderr).toMatch(
      /^lacework-api: Lacework answered GET \/api\/v2\/CloudAccounts\/UNKNOWN with HTTP 404: "Not Found". \[ERR_LW_HTTP\]\n$/,
    );
    expect(tooLong.code).toBe(1);
    expect(tooLong.stderr).toMatch(/HTTP 400: "The time window .* longer than 7 days/);
  });

  it('usage errors exit 2 without sending anything', async ({ onTestFinished }) => {
    const { emu, home, api } = await setup(onTestFinished);
    const cases = [
      [],
      ['get'],
      ['fetch', 'UserProfile'],
      ['get', 'UserProfile', 'extra'],
      ['get', 'https://evil.example/api/v2/UserProfile'],
      ['get', '//evil.example/x'],
      ['get', 'UserProfile', '--data', '{}'],
      ['post', 'Alerts/search', '--data', `{"secret": "${CANARY_SECRET}"`],
      ['post', 'Alerts/search', '--data', `@${join(home, 'missing.json')}`],
      ['delete', 'CloudAccounts/X', '--all'],
      ['get', 'UserProfile', '--bogus'],
      ['get', 'UserProfile', '--account', 'http://evil.example'],
    ];
    const results = await Promise.all(cases.map((args) => api(args)));
    for (const [index, result] of results.entries()) {
      expect(result.code, cases[index]?.join(' ')).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/^lacework-api: /);
      expect(result.stderr).not.toContain(CANARY_SECRET);
    }
    expect(results[7]?.stderr).toMatch(/--data is not valid JSON/);
    expect(results[8]?.stderr).toMatch(/cannot read --data file .*missing\.json.* \(ENOENT\)/);
    expect(emu.stats().requests).toBe(0);
  });

  it('usage errors never quote a secret given in the wrong place', async ({ onTestFinished }) => {
    const { emu, home, api } = await setup(onTestFinished);
    const bare = CANARY_SECRET.slice(1);
    const cases = [
      ['get', 'UserProfile', `--${bare}`],
      ['get', 'UserProfile', `-x${bare}`],
      [CANARY_SECRET, 'UserProfile'],
      ['get', 'UserProfile', CANARY_SECRET],
      ['post', 'Alerts/search', '--data', `@${join(home, `${CANARY_SECRET}.json`)}`],
    ];
    const results = await Promise.all(cases.map((args) => api(args)));
    for (const [index, result] of results.entries()) {
      expect(result.code, String(index)).toBe(2);
      expect(result.stderr.toLowerCase()).not.toContain(bare.slice(0, 16).toLowerCase());
    }
    expect(results[0]?.stderr).toMatch(/unknown option \(a value of \d+ characters, not shown\)/);
    expect(results[2]?.stderr).toMatch(/unknown method \(a value of/);
    expect(emu.stats().requests).toBe(0);
  });

  it('never prints the secret or the token, even when the server echoes the token', async ({
    onTestFinished,
  }) => {
    const { emu, api, token } = await setup(onTestFinished, { canary: true });
    const issued = (await token()).stdout.trim();
    expect(emu.isIssuedToken(issued)).toBe(true);
    emu.inject({
      route: '/api/v2/UserProfile',
      body: { data: [{ echoed: `Bearer ${issued}` }] },
    });
    emu.inject({ route: '/api/v2/CloudAccounts', status: 400, body: { message: issued } });
    const echoed = await api(['get', 'UserProfile']);
    expect(echoed.code).toBe(0);
    expect(JSON.parse(echoed.stdout)).toEqual({ data: [{ echoed: 'Bearer [REDACTED]' }] });
    const failed = await api(['get', 'CloudAccounts']);
    expect(failed.code).toBe(1);
    const rejected = await api(['get', 'UserProfile', '--nocache'], {
      LW_API_SECRET: `${CANARY_SECRET}0`,
    });
    expect(rejected.code).toBe(4);
    expect(rejected.stderr).toMatch(/\[ERR_LW_KEY_REJECTED\]/);
    for (const result of [echoed, failed, rejected]) {
      expect(result.stdout + result.stderr).not.toContain(issued);
      expect(result.stdout + result.stderr).not.toContain(CANARY_SECRET);
    }
  });

  it('--help and --version exit 0', async ({ onTestFinished }) => {
    const { api } = await setup(onTestFinished);
    const [help, version] = await Promise.all([api(['--help']), api(['--version'])]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: lacework-api <method> <path>/);
    expect(help.stdout).toMatch(/Exit codes: 0 done; 1 Lacework answered with an error/);
    expect(version).toMatchObject({ code: 0, stdout: expect.stringMatching(/^\d+\.\d+\.\d+/) });
  });
});
