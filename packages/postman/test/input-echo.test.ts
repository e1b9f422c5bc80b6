import { join } from 'node:path';
import { leakedPieces, tempDir, thrownBy } from '@lacework-auth/test-kit/vitest';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli-run.js';
import { createCollection } from '../src/collection.js';
import { addLaceworkAuth } from '../src/inject.js';
import { generatePreRequestScript, type ScriptOptions } from '../src/script.js';
import { teamCollection } from './support/fixtures.js';

// A secret typed into the wrong option or flag, with characters around it, is described in the
// message (which option, what is wrong, its length), never quoted.
const SECRET = '_CANARY0typed0in0the0wrong0place00';
const dir = await tempDir('lw-postman-echo-', afterAll);

describe('options of the generator, createCollection and addLaceworkAuth', () => {
  it.each<[string, () => unknown, RegExp]>([
    [
      'store',
      () => generatePreRequestScript({ store: `acme ${SECRET}` as never }),
      /^`store` must be/,
    ],
    [
      'an unknown variable’s name',
      () =>
        generatePreRequestScript({ variables: { [SECRET]: 'x' } as ScriptOptions['variables'] }),
      /^`variables` has a key \(34 characters, not shown\) that is not a known variable/,
    ],
    [
      'a variable name',
      () => generatePreRequestScript({ variables: { secret: `x${SECRET} y` } }),
      /^`variables\.secret` must be a Postman variable name .*got \(a value of \d+ characters, not shown\)\.$/,
    ],
    ['log', () => generatePreRequestScript({ log: SECRET as never }), /^`log` must be a boolean/],
    [
      'a folder',
      () => createCollection({ folders: [`x${SECRET}`] }),
      /^`folders` contains \(a value of/,
    ],
    [
      'a collection schema',
      () =>
        addLaceworkAuth({
          ...teamCollection(),
          info: { name: 't', schema: `https://x/${SECRET}` },
        }),
      /schema \(a value of \d+ characters, not shown\) is not Collection Format/,
    ],
  ])('%s', (_what, fn, message) => {
    const text = thrownBy(fn).message;
    expect(text).toMatch(message);
    expect(leakedPieces(text, [SECRET])).toEqual([]);
  });

  it('a plain wrong value is still quoted, to help', () => {
    expect(thrownBy(() => generatePreRequestScript({ store: 'disk' as never })).message).toContain(
      'got "disk"',
    );
  });
});

describe('lacework-postman flags and arguments', () => {
  async function cli(argv: string[], env: Record<string, string> = {}) {
    let text = '';
    const write = (chunk: string) => {
      text += chunk;
    };
    const code = await runCli(argv, { stdout: write, stderr: write, env });
    return { code, text };
  }

  it.each<[string, string[], RegExp]>([
    [
      '--token-scope',
      ['script', '--token-scope', SECRET],
      /--token-scope must be .*got \(a value of 34 characters/,
    ],
    [
      '--store (deprecated)',
      ['script', '--store', SECRET],
      /--token-scope must be .*got \(a value of 34 characters/,
    ],
    ['--refresh-window', ['script', '--refresh-window', `1${SECRET}`], /--refresh-window must be/],
    ['--expiry', ['environment', '--expiry', SECRET], /--expiry must be a whole number/],
    [
      '--expiry-time (deprecated)',
      ['environment', '--expiry-time', SECRET],
      /--expiry must be a whole number/,
    ],
    [
      'an unknown flag',
      ['collection', `--${SECRET}`],
      /Unknown option \(36 characters, not shown\)/,
    ],
    [
      'a stray argument',
      ['environment', '--expiry', '60', SECRET],
      /Unexpected argument \(a value of 34/,
    ],
    ['a stray argument (collection)', ['collection', `acme ${SECRET}`], /Unexpected argument/],
    ['an unknown command', [SECRET], /unknown command \(a value of 34 characters/],
    [
      'an input path',
      ['inject', join(dir, `x${SECRET}.json`)],
      /cannot read \(a value of \d+ characters, not shown\) \(ENOENT\)/,
    ],
    [
      'an output path',
      ['script', '-o', join(dir, `x${SECRET}`, 'out.js')],
      /open failed \(ENOENT\) for \(a value of \d+ characters/,
    ],
  ])('%s', async (_what, argv, message) => {
    const result = await cli(argv);
    expect(result.code).not.toBe(0);
    expect(result.text).toMatch(message);
    expect(leakedPieces(result.text, [SECRET])).toEqual([]);
  });

  it.each([
    ['--account', ['environment', '--account', `acme ${SECRET}`]],
    ['--base-url', ['environment', '--base-url', `ftp://x/${SECRET}`]],
  ])('%s: messages from core that quote the value are scrubbed', async (_flag, argv) => {
    const result = await cli(argv);
    expect(result.code).toBe(2);
    expect(result.text).toMatch(/^lacework-postman environment: \S/);
    expect(leakedPieces(result.text, [SECRET])).toEqual([]);
  });

  it('a secret given as --key-id is not named in the "holds the API secret" warning', async () => {
    const result = await cli(
      ['environment', '--key-id', `x${SECRET}`, '--include-secret', '-o', join(dir, 'env.json')],
      {
        LW_API_SECRET: SECRET,
      },
    );
    expect(result.code).toBe(0);
    expect(result.text).toContain('holds the API secret of key (hidden');
    expect(leakedPieces(result.text, [SECRET])).toEqual([]);
  });
});
