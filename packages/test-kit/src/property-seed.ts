/**
 * A vitest setup file for packages with property tests (fast-check). `pnpm test` draws every
 * property's cases from one fixed seed, so a red run is a regression in the code, never a new
 * random draw; `pnpm test:fuzz` sets `FC_SEED=random` and draws new cases each run. A failing
 * property prints its seed and counterexample: `FC_SEED=<seed>` replays it.
 */
import fc from 'fast-check';

/** The seed `pnpm test` uses (any fixed integer would do; this one is a date). */
export const DEFAULT_SEED = 20261127;

/** The seed `FC_SEED` asks for: a fixed integer, `undefined` for a random one. */
export function seedFrom(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return DEFAULT_SEED;
  if (value === 'random') return undefined;
  const seed = Number(value);
  if (!Number.isSafeInteger(seed)) {
    throw new Error(`FC_SEED must be an integer or "random", got "${value.slice(0, 40)}".`);
  }
  return seed;
}

const seed = seedFrom(process.env.FC_SEED);
if (seed !== undefined) fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });
