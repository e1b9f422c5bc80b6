import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { emulator, tempDir } from '@lacework-auth/test-kit/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, DIST_INDEX, runNode } from './support/spawn.js';

// A separate Node process using the built package and a fileStore in DIR.
const CHILD = `
const { createTokenProvider, fileStore } = await import(process.env.CORE_DIST);
const provider = createTokenProvider({
  baseUrl: process.env.EMU_URL,
  keyId: process.env.EMU_KEY_ID,
  secret: process.env.EMU_SECRET,
  env: {},
  store: fileStore({ dir: process.env.CACHE_DIR }),
});
const { token, expiresAt } = await provider.getToken();
process.stdout.write(JSON.stringify({ token, expiresAt, pid: process.pid }));
`;

describe('a fileStore shared by several processes', () => {
  beforeAll(assertBuilt);

  async function setup() {
    const emu = await emulator();
    const key = emu.keys[0];
    if (!key) throw new Error('no key');
    const env = {
      CORE_DIST: DIST_INDEX,
      EMU_URL: emu.url,
      EMU_KEY_ID: key.keyId,
      EMU_SECRET: key.secret,
      CACHE_DIR: join(await tempDir(), 'cache'),
    };
    const run = async () => {
      const result = await runNode(['--input-type=module', '-e', CHILD], env);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      return JSON.parse(result.stdout) as { token: string; expiresAt: string };
    };
    return { emu, env, run };
  }

  it('two processes starting at once make one exchange', async () => {
    const { emu, run } = await setup();
    // A slow exchange guarantees the second process arrives while the first holds the lock.
    emu.inject({ route: 'token', delayMs: 800 });
    const [a, b] = await Promise.all([run(), run()]);
    expect(a.token).toBe(b.token);
    expect(emu.isIssuedToken(a.token)).toBe(true);
    expect(emu.stats().exchanges).toBe(1);
  });

  it('a later process reuses the first one’s token', async () => {
    const { emu, env, run } = await setup();
    const first = await run();
    const second = await run();
    expect(second.token).toBe(first.token);
    expect(emu.stats().exchanges).toBe(1);
    // No lock or temp files left behind.
    expect((await readdir(env.CACHE_DIR)).filter((name) => !name.endsWith('.json'))).toEqual([]);
  });
});
