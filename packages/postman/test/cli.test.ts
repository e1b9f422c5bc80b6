import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CliIo, runCli } from '../src/cli-run.js';
import { generatePreRequestScript } from '../src/script.js';
import { teamCollection } from './support/fixtures.js';

const SECRET = '_CANARY0cli0secret0never0printed';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lw-postman-cli-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function cli(argv: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    env,
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

describe('lacework-postman', () => {
  it('--help prints the commands (exit 0); no command is wrong usage (exit 2)', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('collection [-o file]');
    expect(help.stdout).toContain('inject <in.json> [-o out.json]');
    expect((await cli([])).code).toBe(2);
    const unknown = await cli(['bogus']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "bogus"');
    const command = await cli(['environment', '--help']);
    expect(command.code).toBe(0);
    expect(command.stdout).toContain('--include-secret');
  });

  it('collection -o writes the v2.1 collection; without -o prints it', async () => {
    const file = join(dir, 'c.json');
    const written = await cli(['collection', '-o', file, '--folder', 'Alerts']);
    expect(written.code).toBe(0);
    const json = JSON.parse(readFileSync(file, 'utf8'));
    expect(json.item.map((f: { name: string }) => f.name)).toEqual(['Alerts']);
    const printed = await cli(['collection', '--folder', 'Alerts']);
    expect(JSON.parse(printed.stdout)).toEqual(json);
  });

  it('wrong flags and values are usage errors (exit 2) naming the problem', async () => {
    const unknownFlag = await cli(['collection', '--nope']);
    expect(unknownFlag.code).toBe(2);
    expect(unknownFlag.stderr).toContain("Unknown option '--nope'.");
    const scope = await cli(['script', '--token-scope', 'disk']);
    expect(scope.code).toBe(2);
    expect(scope.stderr).toContain(
      '--token-scope must be collection, environment or globals, got "disk".',
    );
    const folder = await cli(['collection', '--folder', 'Nope']);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toContain('--folder contains "Nope"');
    expect(folder.stderr).not.toContain('`folders`');
    expect((await cli(['inject'])).code).toBe(2);
  });

  it('script prints the same script as generatePreRequestScript', async () => {
    const result = await cli(['script', '--quiet']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(generatePreRequestScript({ log: false }));
  });

  it('inject keeps the collection’s scripts, is idempotent in place, and fails clearly (exit 1) on bad input', async () => {
    const file = join(dir, 'team.json');
    writeFileSync(file, JSON.stringify(teamCollection()));
    expect((await cli(['inject', file, '-o', file])).code).toBe(0);
    const once = readFileSync(file, 'utf8');
    expect(once).toContain("pm.collectionVariables.set('team_pre', 'ran');");
    expect((await cli(['inject', file, '-o', file])).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(once);

    const missing = await cli(['inject', join(dir, 'missing.json')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('cannot read');
    writeFileSync(file, JSON.stringify({ ...teamCollection(), auth: { type: 'basic' } }));
    const auth = await cli(['inject', file]);
    expect(auth.code).toBe(1);
    expect(auth.stderr).toContain('Pass --replace-auth to replace it');
    expect(auth.stderr).not.toContain('replaceAuth');
  });

  describe('environment', () => {
    it('from a key file: no secret by default, and says the file is safe to share', async () => {
      const keyFile = join(dir, 'key.json');
      writeFileSync(
        keyFile,
        JSON.stringify({
          keyId: 'ACME_1234',
          secret: SECRET,
          account: 'acme.lacework.net',
          subAccount: 'dev',
        }),
        { mode: 0o600 },
      );
      const out = join(dir, 'env.json');
      const result = await cli(['environment', '--key-file', keyFile, '-o', out]);

      expect(result.code).toBe(0);
      const text = readFileSync(out, 'utf8');
      expect(text).not.toContain(SECRET);
      const env = JSON.parse(text);
      expect(
        Object.fromEntries(env.values.map((v: { key: string; value: string }) => [v.key, v.value])),
      ).toMatchObject({
        lw_base_url: 'https://acme.lacework.net',
        lw_key_id: 'ACME_1234',
        lw_secret: '',
        lw_sub_account: 'dev',
      });
      expect(result.stderr).toContain('leaves lw_secret empty (safe to share)');
      expect(result.stdout + result.stderr).not.toContain(SECRET);
    });

    it('--include-secret writes it (mode 0600) and warns not to share or commit the file', async () => {
      const keyFile = join(dir, 'key.json');
      writeFileSync(
        keyFile,
        JSON.stringify({ keyId: 'ACME_1234', secret: SECRET, account: 'acme' }),
        {
          mode: 0o600,
        },
      );
      const out = join(dir, 'env.json');
      const result = await cli([
        'environment',
        '--key-file',
        keyFile,
        '--include-secret',
        '-o',
        out,
      ]);

      expect(result.code).toBe(0);
      expect(readFileSync(out, 'utf8')).toContain(SECRET);
      expect(statSync(out).mode & 0o777).toBe(0o600);
      expect(result.stderr).toContain('holds the API secret');
      expect(result.stderr).toContain('do not share or commit it');
      expect(result.stdout + result.stderr).not.toContain(SECRET);
    });

    it('from flags and LW_* variables; --include-secret without a secret is wrong usage', async () => {
      const result = await cli(['environment', '--key-id', 'K_FLAG', '--expiry', '600'], {
        LW_ACCOUNT: 'acme',
        LW_API_KEY: 'K_ENV',
        LW_API_SECRET: SECRET,
        HOME: dir,
      });
      expect(result.code).toBe(0);
      const env = JSON.parse(result.stdout);
      expect(
        Object.fromEntries(env.values.map((v: { key: string; value: string }) => [v.key, v.value])),
      ).toMatchObject({
        lw_base_url: 'https://acme.lacework.net',
        lw_key_id: 'K_FLAG',
        lw_secret: '',
        lw_expiry_time: '600',
      });
      expect(result.stdout).not.toContain(SECRET);
      // The key id came from --key-id, and LW_API_KEY names another key: its secret is not used.
      const mismatched = await cli(['environment', '--key-id', 'K_FLAG', '--include-secret'], {
        LW_ACCOUNT: 'acme',
        LW_API_KEY: 'K_ENV',
        LW_API_SECRET: SECRET,
        HOME: dir,
      });
      expect(mismatched.code).toBe(3);
      expect(mismatched.stderr).toContain('the key id comes from --key-id, which has no secret');

      const noSecret = await cli(['environment', '--include-secret'], { HOME: dir });
      expect(noSecret.code).toBe(3);
      expect(noSecret.stderr).toContain('--include-secret: no secret found. Pass --key-file');
      const badKeyFile = await cli(['environment', '--key-file', join(dir, 'nope.json')]);
      expect(badKeyFile.code).toBe(3);
      expect(badKeyFile.stderr).toContain('(--key-file) does not exist');
      expect(badKeyFile.stderr).not.toContain('`keyFile`');
    });

    it.each([
      ['on its own', SECRET],
      ['the key id and its secret pasted together', `ACME_4A1F0123456789ABCDEF ${SECRET}`],
      ['separated by a colon', `ACME_4A1F0123456789ABCDEF:${SECRET}`],
      ['in backticks, copied from Markdown', `\`${SECRET}\``],
      ['with its `_` escaped, copied from Markdown', `\\${SECRET}`],
      ['after a name', `secret=${SECRET}`],
    ])(
      'refuses a secret given as the key id (%s) from a flag, LW_API_KEY or a profile, named where it came from',
      async (_name, pasted) => {
        const out = join(dir, 'environment.json');
        const fromFlag = await cli([
          'environment',
          '--account',
          'acme',
          '--key-id',
          pasted,
          '-o',
          out,
        ]);
        expect(fromFlag.code).toBe(2);
        expect(fromFlag.stderr).toMatch(
          /^lacework-postman environment: --key-id looks like an API secret or holds one/,
        );
        const fromEnv = await cli(['environment', '--account', 'acme', '-o', out], {
          LW_API_KEY: pasted,
          HOME: dir,
        });
        expect(fromEnv.code).toBe(3);
        expect(fromEnv.stderr).toMatch(/LW_API_KEY looks like an API secret or holds one/);
        writeFileSync(
          join(dir, '.lacework.toml'),
          `[default]\naccount = "acme"\napi_key = ${JSON.stringify(pasted)}\napi_secret = "_other0secret0value"\n`,
        );
        const fromProfile = await cli(['environment', '-o', out], { HOME: dir });
        expect(fromProfile.code).toBe(3);
        expect(fromProfile.stderr).toMatch(/looks like an API secret or holds one/);
        for (const result of [fromFlag, fromEnv, fromProfile]) {
          expect(result.stdout + result.stderr).not.toContain(SECRET.slice(1));
        }
        expect(existsSync(out)).toBe(false);
      },
    );

    it('still writes a key id of Lacework’s shape', async () => {
      const result = await cli([
        'environment',
        '--account',
        'acme',
        '--key-id',
        'MY-ORG_4A1F0123456789ABCDEF',
      ]);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('"MY-ORG_4A1F0123456789ABCDEF"');
    });
  });

  it('the built bin runs with its shebang (needs `pnpm build`)', async () => {
    const bin = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
    expect(existsSync(bin), 'run `pnpm build` first').toBe(true);
    const result = await new Promise<{ code: number; stdout: string }>((resolve) => {
      execFile(bin, ['script'], (error, stdout) =>
        resolve({ code: error ? Number(error.code) : 0, stdout }),
      );
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(generatePreRequestScript());
  });
});
