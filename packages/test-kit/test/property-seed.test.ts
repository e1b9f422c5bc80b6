import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SEED, seedFrom } from '../src/property-seed.js';

describe('property-seed', () => {
  it('reads FC_SEED: unset is the fixed seed, "random" none, an integer itself', () => {
    expect(seedFrom(undefined)).toBe(DEFAULT_SEED);
    expect(seedFrom('')).toBe(DEFAULT_SEED);
    expect(seedFrom('random')).toBeUndefined();
    expect(seedFrom('-1234')).toBe(-1234);
    expect(() => seedFrom('12abc')).toThrow(/FC_SEED must be an integer or "random", got "12abc"/);
  });

  it('makes fast-check draw the same cases on every run', () => {
    // Loaded as a side effect of the import above, with FC_SEED unset in `pnpm test`.
    if (process.env.FC_SEED === 'random') return;
    expect(fc.readConfigureGlobal().seed).toBe(seedFrom(process.env.FC_SEED));
    const draw = () => fc.sample(fc.string(), { numRuns: 5 });
    expect(draw()).toEqual(draw());
  });
});
