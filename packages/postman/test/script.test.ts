import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_VARIABLE_NAMES,
  generatePreRequestScript,
  SCRIPT_BEGIN_MARKER,
  SCRIPT_END_MARKER,
} from '../src/script.js';

const SOURCE = readFileSync(new URL('../src/sandbox/lacework-auth.js', import.meta.url), 'utf8');

describe('generatePreRequestScript', () => {
  it('is the sandbox source file, between markers, after a config line', () => {
    const lines = generatePreRequestScript().split('\n');

    expect(lines[0]?.startsWith(SCRIPT_BEGIN_MARKER)).toBe(true);
    expect(lines[1]).toBe('var LACEWORK_AUTH_CONFIG = {};');
    expect(lines.slice(2, -2).join('\n')).toBe(SOURCE.trimEnd());
    expect(lines.at(-2)).toBe(SCRIPT_END_MARKER);
    expect(lines.at(-1)).toBe('');
  });

  it('takes its variable names from the generator’s own module', () => {
    const glue = readFileSync(new URL('../sandbox/lacework-auth.ts', import.meta.url), 'utf8');
    expect(glue).toContain("from '../src/variable-names.js'");
    for (const name of Object.values(DEFAULT_VARIABLE_NAMES)) expect(SOURCE).toContain(`"${name}"`);
  });

  it('puts only options that differ from the defaults into the config', () => {
    const script = generatePreRequestScript({
      store: 'environment',
      refreshWindowMs: 60_000,
      retryOnUnauthorized: false,
      log: false,
      variables: { secret: 'my_secret', token: 'lw_token' },
    });
    expect(script.split('\n')[1]).toBe(
      'var LACEWORK_AUTH_CONFIG = {"variables":{"secret":"my_secret"},"store":"environment","refreshWindowMs":60000,"retryOnUnauthorized":false,"log":false};',
    );
  });

  it('takes tokenScope and refreshWindow; store and refreshWindowMs are their deprecated names', () => {
    const current = generatePreRequestScript({ tokenScope: 'globals', refreshWindow: 5_000 });
    const deprecated = generatePreRequestScript({ store: 'globals', refreshWindowMs: 5_000 });
    expect(current).toBe(deprecated);
    expect(current.split('\n')[1]).toBe(
      'var LACEWORK_AUTH_CONFIG = {"store":"globals","refreshWindowMs":5000};',
    );
    expect(() => generatePreRequestScript({ tokenScope: 'globals', store: 'environment' })).toThrow(
      '`store` is the deprecated name of `tokenScope`; give only `tokenScope`.',
    );
    expect(() => generatePreRequestScript({ tokenScope: 'disk' as never })).toThrow(
      "`tokenScope` must be 'collection', 'environment' or 'globals', got \"disk\".",
    );
  });

  it('is plain script code: parses as a function body, without async/await, promises or imports', () => {
    const script = generatePreRequestScript();
    expect(() => new Function(script)).not.toThrow();
    const code = script
      .split('\n')
      .filter((line) => !line.trim().startsWith('//'))
      .join('\n');
    expect(code).not.toMatch(/\basync\b|\bawait\b|\bPromise\b|\bimport\b|\brequire\(/);
    // The callback form of pm.sendRequest (newman 6.2's sandbox has no promise form).
    expect(script).toMatch(/pm\.sendRequest\(\s*\{[\s\S]*\},\s*\(error, response\) =>/);
  });

  it('never logs a secret or token: console lines interpolate only safe values', () => {
    const glue = readFileSync(new URL('../sandbox/lacework-auth.ts', import.meta.url), 'utf8');
    const calls = glue.match(/console\.\w+\([\s\S]*?\n\s*\);/g) ?? [];
    expect(calls.length).toBeGreaterThan(0);
    const interpolated = calls.flatMap((call) =>
      [...call.matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1]),
    );
    expect(new Set(interpolated)).toEqual(
      new Set([
        'PREFIX',
        'shortKeyId(credentials.keyId, credentials.secret)',
        'result.expiresAt',
        'status',
        'pm.info.requestName',
        // Dates and seconds of a clock skew (core's protocol module words it).
        'reading.warning',
      ]),
    );
  });

  it('validates options once, naming the option', () => {
    expect(() => generatePreRequestScript({ store: 'disk' as never })).toThrow(
      "`store` must be 'collection', 'environment' or 'globals', got \"disk\".",
    );
    expect(() => generatePreRequestScript({ refreshWindowMs: -1 })).toThrow(
      '`refreshWindowMs` must be an integer from 0 to 86400000 (ms), got -1.',
    );
    expect(() => generatePreRequestScript({ log: 'yes' as never })).toThrow(
      '`log` must be a boolean, got "yes".',
    );
    expect(() => generatePreRequestScript({ variables: { secret: 'has space' } })).toThrow(
      '`variables.secret` must be a Postman variable name',
    );
    expect(() => generatePreRequestScript({ variables: { nope: 'x' } as never })).toThrow(
      '`variables.nope` is not a known variable',
    );
    expect(() => generatePreRequestScript({ variables: { secret: 'lw_key_id' } })).toThrow(
      '`variables` must give every variable a different name.',
    );
  });
});
