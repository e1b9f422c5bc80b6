import { join } from 'node:path';
import { beforeAll, describe } from 'vitest';
import { synthCdktnStack } from './cdktn-stack.js';
import type { E2e } from './e2e.js';

/** A way to get a synthesized token stack: its directory holds the `cdk.tf.json` to run. */
export interface StackVariant {
  name: string;
  synth(outdir: string): string | Promise<string>;
}

/**
 * Synthesizes examples/cdktf-stack as users get it: plain JS importing the built
 * `@lacework-auth/cdktf` (dist). With neither account nor base URL it declares
 * `lacework_base_url`, like the cdktn variant.
 */
export async function synthExampleStack(
  outdir: string,
  options: { subAccount?: string; mode: 'data-source' | 'http-data-source' },
): Promise<string> {
  const { buildApp } = await import('../../../../examples/cdktf-stack/src/stack.js');
  return buildApp({ outdir, ...options }).stackDir;
}

/** The stacks every e2e behaviour of the opt-in `hashicorp/http` mode runs against. */
export const stackVariants: StackVariant[] = [
  {
    name: 'examples/cdktf-stack, http-data-source mode (cdktf 0.21)',
    synth: (outdir) => synthExampleStack(outdir, { mode: 'http-data-source' }),
  },
  { name: 'cdktn variant, http-data-source mode (CDK Terrain 0.24)', synth: synthCdktnStack },
];

/**
 * One describe block per stack variant, named after it. `stackDir()` is the variant's stack,
 * synthesized into the e2e scratch directory before the block's tests run.
 */
export function describeStackVariants(
  e2e: E2e,
  body: (stackDir: () => string, variant: StackVariant) => void,
): void {
  describe.each(stackVariants)('$name', (variant) => {
    let dir: string | undefined;
    beforeAll(async () => {
      dir = await variant.synth(join(e2e.outdir, variant.name.replace(/\W+/g, '-')));
    }, 60_000);
    body(() => {
      if (dir === undefined) throw new Error(`${variant.name} was not synthesized`);
      return dir;
    }, variant);
  });
}
