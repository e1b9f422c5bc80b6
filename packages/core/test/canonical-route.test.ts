import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalPath, canonicalRoute } from '../src/client/canonical-route.js';

describe('canonicalPath', () => {
  it.each([
    ['/api/v2/CloudAccounts', '/api/v2/cloudaccounts'],
    ['/api/v2/Cloud%41ccounts', '/api/v2/cloudaccounts'],
    ['/api/v2/%2543loudAccounts', '/api/v2/cloudaccounts'],
    ['/api/v2/CloudAccounts/', '/api/v2/cloudaccounts'],
    ['/api/v2//CloudAccounts', '/api/v2/cloudaccounts'],
    ['/api/v2/./x/../CloudAccounts', '/api/v2/cloudaccounts'],
    ['/api/v2/x%2f..%2fCloudAccounts', '/api/v2/cloudaccounts'],
    ['/api/v2/x%5c..%5cCloudAccounts', '/api/v2/cloudaccounts'],
    ['/api/v2\\CloudAccounts', '/api/v2/cloudaccounts'],
    ['/api/v2/CloudAccounts;jsessionid=1', '/api/v2/cloudaccounts'],
    ['/api/v2/CloudAccounts.', '/api/v2/cloudaccounts'],
    ['/api/v2/CloudAccounts%2e', '/api/v2/cloudaccounts'],
    ['/api/v2/CloudAccounts%20', '/api/v2/cloudaccounts'],
    ['/api/v2/CloudAccounts%00.json', '/api/v2/cloudaccounts'],
    ['/api/v2/CloudAccounts?x=1#y', '/api/v2/cloudaccounts'],
    ['/api/v2/ＣｌｏｕｄＡｃｃｏｕｎｔｓ', '/api/v2/cloudaccounts'],
    ['/api/v2/access/tokens%252e', '/api/v2/access/tokens'],
    ['/../../api/v2/x', '/api/v2/x'],
    ['/api/v2/%zz', '/api/v2/%25zz'],
    ['/api/v2/a%3fb%23c', '/api/v2/a%3Fb%23c'],
  ])('%s → %s', (input, expected) => {
    expect(canonicalPath(input)).toBe(expected);
  });

  it('keeps different routes apart', () => {
    expect(canonicalPath('/api/v2/Alerts')).not.toBe(canonicalPath('/api/v2/AlertChannels'));
    expect(canonicalPath('/api/v2/Alerts/search')).not.toBe(canonicalPath('/api/v2/Alerts'));
  });

  it('gives every re-spelling of a path the canonical form of the path (property)', () => {
    const segment = fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/);
    // One way of writing a character of a path segment as a client might send it.
    const spell = (text: string, choices: number[]) =>
      [...text]
        .map((char, i) => {
          const choice = choices[i % choices.length] ?? 0;
          const hex = char.charCodeAt(0).toString(16).padStart(2, '0');
          if (choice === 1) return `%${hex}`;
          if (choice === 2) return `%${hex.toUpperCase()}`;
          if (choice === 3) return `%25${hex}`;
          if (choice === 4) return char.toUpperCase();
          if (choice === 5) return char.toLowerCase();
          return char;
        })
        .join('');
    fc.assert(
      fc.property(
        fc.array(segment, { minLength: 1, maxLength: 5 }),
        fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 16 }),
        fc.constantFrom('', '/', '//', '/.', '?q=1', '/?q=%2F', ';p=1', '.', '%2e', '%20'),
        fc.constantFrom('', '/.', '/x/..', '//', '/%2e', '/a%2f..'),
        (segments, choices, suffix, infix) => {
          const plain = `/api/v2/${segments.join('/')}`;
          const [first, ...rest] = segments;
          const spelled = `/api/v2${infix}/${spell(first ?? '', choices)}${rest.map((s) => `/${spell(s, choices.slice(1))}`).join('')}${suffix}`;
          expect(canonicalPath(spelled)).toBe(canonicalPath(plain));
        },
      ),
    );
  });

  it('never returns a path with empty, "." or ".." segments or a trailing slash (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 60 }),
          // Escapes nested in escapes, dots and separators: where a decoder can be fooled.
          fc.string({
            unit: fc.constantFrom('%', '2', '5', 'e', 'E', 'f', 'F', 'c', '.', '/', '\\', 'a', ' '),
            maxLength: 60,
          }),
        ),
        (input) => {
          const path = canonicalPath(input);
          expect(path.startsWith('/')).toBe(true);
          if (path !== '/') {
            for (const segment of path.slice(1).split('/')) {
              expect(segment).not.toBe('');
              expect(segment).not.toMatch(/^[\s.]*$/u);
            }
          }
          expect(canonicalPath(path)).toBe(path);
        },
      ),
    );
  });
});

describe('canonicalRoute', () => {
  it('upper-cases the method, reads HEAD as GET, and takes one string or two', () => {
    expect(canonicalRoute('get /api/v2/%55serProfile')).toBe('GET /api/v2/userprofile');
    expect(canonicalRoute('HEAD', '/api/v2/UserProfile/')).toBe('GET /api/v2/userprofile');
    expect(canonicalRoute('POST', '/api/v2/Alerts/search')).toBe('POST /api/v2/alerts/search');
  });
});
