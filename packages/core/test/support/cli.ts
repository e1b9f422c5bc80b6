import { join } from 'node:path';
import type { EmulatorOptions } from '@lacework-auth/emulator';
import { canaryEmulator, emulator, type OnFinished, tempDir } from '@lacework-auth/test-kit/vitest';

/**
 * What a CLI test runs against: an emulator (the canary one with `canary`) and a fresh HOME, both
 * gone when the test finishes, and the environment a shell user sets for them (the cache under
 * HOME/xdg-cache).
 */
export async function cliHome(
  onFinished: OnFinished,
  options: { canary?: boolean; emulator?: EmulatorOptions; prefix?: string } = {},
) {
  const emu = options.canary
    ? await canaryEmulator(options.emulator, onFinished)
    : await emulator(options.emulator, onFinished);
  const key = emu.keys[0];
  if (!key) throw new Error('no key');
  const home = await tempDir(options.prefix ?? 'lw-cli-', onFinished);
  const env: Record<string, string> = {
    HOME: home,
    XDG_CACHE_HOME: join(home, 'xdg-cache'),
    LW_API_SERVER_URL: emu.url,
    LW_API_KEY: key.keyId,
    LW_API_SECRET: key.secret,
  };
  return { emu, key, home, env };
}
