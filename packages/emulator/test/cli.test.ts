import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

function start(args: string[] = []) {
  if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `pnpm build` first.');
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stdout?.on('data', (c: Buffer) => {
    out += c.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ready = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`CLI did not start: ${out}`)), 10_000);
    child.stdout?.on('data', () => {
      if (out.includes('Press Ctrl-C') || (args.includes('--json') && out.includes('\n'))) {
        clearTimeout(timer);
        resolve(out);
      }
    });
  });
  return { child, ready, exited, output: () => out };
}

describe('lacework-emulator CLI', () => {
  it('prints the URL and a usable key, serves, and stops cleanly on SIGTERM', async () => {
    const cli = start(['--port', '0']);
    const banner = await cli.ready;
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(banner)?.[1];
    const keyId = /keyId:\s+(\S+)/.exec(banner)?.[1];
    const secret = /secret:\s+(\S+)/.exec(banner)?.[1];
    expect(url).toBeDefined();
    // What the Lacework CLI needs: an account name (LW_API_SERVER_URL then replaces its URL).
    expect(banner).toContain(
      `export LW_ACCOUNT=emulator LW_API_SERVER_URL=${url} LW_API_KEY=${keyId} LW_API_SECRET=${secret}`,
    );
    expect(banner).toContain('export LW_UPDATES_DISABLE=1 LW_TELEMETRY_DISABLE=1');
    const res = await fetch(`${url}/api/v2/access/tokens`, {
      method: 'POST',
      headers: { 'X-LW-UAKS': secret ?? '', 'Content-Type': 'application/json' },
      body: JSON.stringify({ keyId }),
    });
    expect(res.status).toBe(201);
    const { token } = (await res.json()) as { token: string };
    const profile = await fetch(`${url}/api/v2/UserProfile`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(profile.status).toBe(200);
    // The Lacework CLI sends the token bare; the emulator takes it, as Lacework does.
    const bare = await fetch(`${url}/api/v2/UserProfile`, { headers: { Authorization: token } });
    expect(bare.status).toBe(200);
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    const out = cli.output();
    expect(out).toContain('POST /api/v2/access/tokens -> 201');
    expect(out).toContain('GET /api/v2/UserProfile -> 200');
    expect(out).toContain('Lacework emulator stopped.');
    expect(out).not.toContain(token);
  });

  it('--page-size pages Alerts; --strict-bearer refuses bare tokens', async () => {
    const cli = start(['--quiet', '--page-size', '2', '--strict-bearer']);
    const banner = await cli.ready;
    const url = /listening on (\S+)/.exec(banner)?.[1];
    const keyId = /keyId:\s+(\S+)/.exec(banner)?.[1];
    const secret = /secret:\s+(\S+)/.exec(banner)?.[1] ?? '';
    const res = await fetch(`${url}/api/v2/access/tokens`, {
      method: 'POST',
      headers: { 'X-LW-UAKS': secret, 'Content-Type': 'application/json' },
      body: JSON.stringify({ keyId }),
    });
    const { token } = (await res.json()) as { token: string };
    const bare = await fetch(`${url}/api/v2/Alerts`, { headers: { Authorization: token } });
    expect(bare.status).toBe(401);
    const page = await fetch(`${url}/api/v2/Alerts`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    const body = (await page.json()) as { data: unknown[]; paging: { totalRows: number } };
    expect(body.data).toHaveLength(2);
    expect(body.paging.totalRows).toBe(5);
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
  });

  it('stops on SIGINT too', async () => {
    const cli = start(['--quiet']);
    await cli.ready;
    cli.child.kill('SIGINT');
    expect(await cli.exited).toBe(0);
  });

  it('prints help with --help and refuses bad flags with exit code 2', () => {
    const help = spawnSync(process.execPath, [CLI, '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/Usage: lacework-emulator/);
    const bad = spawnSync(process.execPath, [CLI, '--port', 'abc'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--port must be an integer/);
    const page = spawnSync(process.execPath, [CLI, '--page-size', '0'], { encoding: 'utf8' });
    expect(page.status).toBe(2);
    expect(page.stderr).toMatch(/--page-size must be an integer from 1 to 5000/);
    const unknown = spawnSync(process.execPath, [CLI, '--bogus'], { encoding: 'utf8' });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toBe(
      "lacework-emulator: unknown option '--bogus'.\nTry 'lacework-emulator --help'.\n",
    );
    const typo = spawnSync(process.execPath, [CLI, '--page-szie', '2'], { encoding: 'utf8' });
    expect(typo.status).toBe(2);
    expect(typo.stderr).toContain("unknown option '--page-szie'. Did you mean --page-size?");
    const secret = spawnSync(process.execPath, [CLI, '--_abcdef0123456789abcdef'], {
      encoding: 'utf8',
    });
    expect(secret.status).toBe(2);
    expect(secret.stderr).not.toContain('abcdef0123456789');
  });

  it('--json prints one JSON line with the URL, the key and the environment; exit 3 when the port is taken', async () => {
    const cli = start(['--json', '--quiet']);
    const line = (await cli.ready).split('\n')[0] as string;
    const banner = JSON.parse(line) as {
      url: string;
      key: { keyId: string };
      env: Record<string, string>;
    };
    expect(banner.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(banner.env).toMatchObject({
      LW_API_SERVER_URL: banner.url,
      LW_API_KEY: banner.key.keyId,
    });
    const port = new URL(banner.url).port;
    const taken = spawnSync(process.execPath, [CLI, '--port', port], { encoding: 'utf8' });
    expect(taken.status).toBe(3);
    expect(taken.stderr).toContain(`cannot listen on 127.0.0.1:${port} (EADDRINUSE)`);
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
  });
});
