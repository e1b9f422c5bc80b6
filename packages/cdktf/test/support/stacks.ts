import { synthCdktnStack } from './cdktn-stack.js';

/** A way to get a synthesized token stack: its directory holds the `cdk.tf.json` to run. */
export interface StackVariant {
  name: string;
  synth(outdir: string): string | Promise<string>;
}

/** The stacks every e2e behaviour runs against. */
export const stackVariants: StackVariant[] = [
  { name: 'cdktn variant (CDK Terrain 0.24)', synth: synthCdktnStack },
];
