import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** `promise`'s value, or `'hung'` when it has not settled within `ms`. */
export async function within<T>(promise: Promise<T>, ms: number): Promise<T | 'hung'> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<'hung'>((resolve) => {
    timer = setTimeout(() => resolve('hung'), ms);
  });
  try {
    return await Promise.race([promise, hung]);
  } finally {
    clearTimeout(timer);
  }
}

setFlagsFromString('--expose-gc');
/** A full garbage collection, now (V8's `gc()`, exposed at run time). */
export const collectGarbage = runInNewContext('gc') as () => void;
