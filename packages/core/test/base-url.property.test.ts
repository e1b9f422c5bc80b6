import { renderings } from '@lacework-auth/test-kit/vitest';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveBaseUrl } from '../src/protocol/base-url.js';
import { isLaceworkAuthError } from '../src/protocol/errors.js';
import { URL_PIECES } from './support/url-pieces.js';

const LABEL = '[a-z0-9](?:[a-z0-9-]*[a-z0-9])?';
const LACEWORK = new RegExp(
  `^https://${LABEL}(?:\\.${LABEL}){0,2}\\.lacework\\.net(?::\\d{1,5})?$`,
);
const LOOPBACK = /^http:\/\/(?:127(?:\.\d{1,3}){3}|localhost|\[::1\])(?::\d{1,5})?$/;
const ANY_HTTPS = new RegExp(
  `^https://(?:${LABEL}(?:\\.${LABEL})*|\\d{1,3}(?:\\.\\d{1,3}){3}|\\[[0-9a-f:.]+\\])(?::\\d{1,5})?$`,
);

/** The result, or the error (which must be an InvalidBaseUrlError). */
function outcome(input: string, allowAnyHost: boolean): string | Error {
  try {
    return resolveBaseUrl(input, { allowAnyHost });
  } catch (error) {
    expect(isLaceworkAuthError(error, 'ERR_LW_INVALID_BASE_URL'), String(error)).toBe(true);
    return error as Error;
  }
}

// Characters that fool URL parsers, and the pieces of a Lacework host.
const HOSTILE_MORE = ['evil.com', '%2e', '%40', 'ａ', '。', '\u200b', '::1', ...'2fF! \t\n'];
const HOSTILE = fc.constantFrom(...URL_PIECES, ...HOSTILE_MORE);
const hostileInput = fc.oneof(
  fc.string({ unit: HOSTILE, maxLength: 12 }),
  fc.webUrl({ withFragments: true, withQueryParameters: true }),
  fc.domain(),
  fc.string({ maxLength: 30 }),
);

/** The host as written before the first `/?#` (scheme and port removed), as a reader sees it. */
function writtenHost(input: string): string {
  const rest = input.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const authority = rest.split(/[/?#]/)[0] ?? '';
  const host = authority.startsWith('[')
    ? authority.slice(0, authority.indexOf(']') + 1)
    : authority.replace(/:[^:]*$/, '');
  return host.toLowerCase().replace(/\.$/, '');
}

describe('resolveBaseUrl (properties)', () => {
  it('returns only a Lacework https origin (or, with allowAnyHost, loopback http or an https origin), else throws InvalidBaseUrlError', () => {
    fc.assert(
      fc.property(hostileInput, fc.boolean(), (input, allowAnyHost) => {
        const result = outcome(input, allowAnyHost);
        if (result instanceof Error) return;
        if (allowAnyHost) {
          expect(
            LACEWORK.test(result) || LOOPBACK.test(result) || ANY_HTTPS.test(result),
            result,
          ).toBe(true);
        } else {
          expect(result).toMatch(LACEWORK);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('the host of the result is the host as written: no parser rewrites it', () => {
    fc.assert(
      fc.property(hostileInput, fc.boolean(), (input, allowAnyHost) => {
        const result = outcome(input, allowAnyHost);
        if (result instanceof Error) return;
        const written = writtenHost(input);
        const host = new URL(result).hostname;
        expect([written, `${written}.lacework.net`], `${input} → ${result}`).toContain(host);
      }),
      { numRuns: 3000 },
    );
  });

  it('an account, in any of its spellings, gives the origin the user meant', () => {
    // `xn--…` labels (internationalised names) are refused on purpose (see the refusals above).
    const label = fc
      .stringMatching(/^[a-z](?:[a-z0-9-]{0,10}[a-z0-9])?$/)
      .filter((name) => !name.startsWith('xn--'));
    fc.assert(
      fc.property(
        label,
        fc.option(fc.constantFrom('fra', 'aus', 'eu'), { nil: undefined }),
        fc.constantFrom('', 'https://', 'HTTPS://', 'https://'),
        fc.constantFrom('', '.lacework.net', '.lacework.net.', '.LACEWORK.NET'),
        fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
        fc.constantFrom('', '/', '/api/v2/x', '?q=@evil.com', '#@evil.com', '/@evil.com'),
        fc.constantFrom('', '  ', '\n'),
        fc.boolean(),
        (account, region, scheme, suffix, port, tail, space, upper) => {
          const sub = region ? `${account}.${region}` : account;
          const typed = upper ? sub.toUpperCase() : sub;
          const portText = port === undefined ? '' : `:${port}`;
          const input = `${space}${scheme}${typed}${suffix}${portText}${tail}${space}`;
          const result = outcome(input, false);
          // A bare name with a scheme is a host name outside .lacework.net; a region needs the
          // suffix to be told from a host name.
          if ((scheme !== '' || region) && suffix === '') {
            expect(result).toBeInstanceOf(Error);
            return;
          }
          const shownPort = port === undefined || port === 443 ? '' : `:${port}`;
          expect(result).toBe(`https://${sub}.lacework.net${shownPort}`);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('never echoes a secret-looking value, whatever surrounds it', () => {
    const secret = fc
      .stringMatching(/^[0-9a-f]{32}$/)
      .chain((hex) => fc.constantFrom(`_${hex}`, hex, `_${hex.toUpperCase()}`));
    const around = fc.string({ unit: HOSTILE, maxLength: 6 });
    fc.assert(
      fc.property(secret, around, around, fc.boolean(), (value, before, after, allowAnyHost) => {
        const input = `${before}${value}${after}`;
        const result = outcome(input, allowAnyHost);
        const text = (result instanceof Error ? renderings(result) : result).toLowerCase();
        const hex = value.replace(/^_/, '').toLowerCase();
        for (let i = 0; i + 8 <= hex.length; i++) {
          expect(text.includes(hex.slice(i, i + 8)), `${input} → ${text}`).toBe(false);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
