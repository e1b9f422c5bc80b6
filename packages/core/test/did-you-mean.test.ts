import { describe, expect, it } from 'vitest';
import { closestName, unknownOptionError } from '../src/toolkit/options.js';

describe('unknown options: "did you mean"', () => {
  it.each([
    ['expirytime', 'expiryTime'],
    ['ExpiryTime', 'expiryTime'],
    ['expiryTme', 'expiryTime'],
    ['expriyTime', 'expiryTime'],
    ['subaccount', 'subAccount'],
    ['retyr', 'retry'],
  ])('%s → %s', (typed, meant) => {
    expect(closestName(typed, ['expiryTime', 'subAccount', 'retry', 'timeout'])).toBe(meant);
  });

  it('suggests nothing for a name far from every option, or as close to two', () => {
    expect(closestName('colour', ['expiryTime', 'timeout'])).toBeUndefined();
    expect(closestName('abcd', ['abce', 'abcf'])).toBeUndefined();
  });

  it('the error names the option (or, for a secret-looking key, a placeholder) and the fix', () => {
    const error = unknownOptionError('expirytime', ['expiryTime'], 'createTokenProvider');
    expect(error).toMatchObject({
      code: 'ERR_LW_INVALID_OPTION',
      option: 'expirytime',
      suggestion: 'expiryTime',
    });
    expect(error.message).toBe(
      '`createTokenProvider` got an unknown option `expirytime`. Did you mean `expiryTime`?',
    );
    const secret = '_5ebf0c2d9a84e7b93c1a6f0d2e4b8c7a';
    const hidden = unknownOptionError(secret, ['expiryTime'], 'createTokenProvider');
    expect(hidden.option).toBe('(not shown)');
    expect(hidden.message).not.toContain(secret.slice(1, 12));
  });
});
