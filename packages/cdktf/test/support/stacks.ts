import { synthCdktnStack } from './cdktn-stack.js';

/** A way to get a synthesized token stack: its directory holds the `cdk.tf.json` to run. */
export interface StackVariant {
  name: string;
  synth(outdir: string): string | Promise<string>;
}

/** The stacks every e2e behaviour runs against. */
export const stackVariants: StackVariant[] = [
  {
    name: 'examples/cdktf-stack (cdktf 0.21)',
    async synth(outdir) {
      // The example as users get it: plain JS importing the built @lacework-auth/cdktf (dist).
      // With neither account nor baseUrl it declares lacework_base_url, like the cdktn variant.
      const { buildApp } = await import('../../../../examples/cdktf-stack/src/stack.js');
      return buildApp({ outdir }).stackDir;
    },
  },
  { name: 'cdktn variant (CDK Terrain 0.24)', synth: synthCdktnStack },
];
