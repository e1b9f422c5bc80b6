import { describe, expect, it } from 'vitest';
import { CANARY_SECRET, leakedPieces } from '../src/secrets.js';

describe('leakedPieces', () => {
  it('finds a secret whole, cut, upper-cased, inside an error’s cause or JSON', () => {
    const cut = CANARY_SECRET.slice(5, 14);
    expect(leakedPieces(`x ${CANARY_SECRET} y`, [CANARY_SECRET])).not.toEqual([]);
    expect(leakedPieces(cut.toUpperCase(), [CANARY_SECRET])).not.toEqual([]);
    const error = new Error('outer', { cause: new Error(`inner ${cut}`) });
    expect(leakedPieces(error, [CANARY_SECRET])).not.toEqual([]);
    expect(leakedPieces({ nested: { value: CANARY_SECRET } }, [CANARY_SECRET])).not.toEqual([]);
  });

  it('finds nothing in text that shares fewer than 8 characters in a row with the secret', () => {
    expect(leakedPieces(`${CANARY_SECRET.slice(0, 7)}…`, [CANARY_SECRET])).toEqual([]);
    expect(leakedPieces(new Error('nothing here'), [CANARY_SECRET])).toEqual([]);
  });
});
