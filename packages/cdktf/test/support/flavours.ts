import * as cdktf from 'cdktf';
import * as cdktn from 'cdktn';
import * as forCdktn from '../../src/cdktn.js';
import * as forCdktf from '../../src/index.js';

/** One Terraform CDK library and this package's entry point for it. */
export interface Flavour {
  readonly name: 'cdktf' | 'cdktn';
  /** The Terraform CDK library (`Testing`, `TerraformStack`, ...). */
  readonly lib: typeof cdktf;
  /** This package's entry point for that library. */
  readonly pkg: typeof forCdktf;
}

/** Both libraries, for `describe.each`. cdktn 0.24 keeps cdktf 0.21's API, so one set of types serves. */
export const flavours: Flavour[] = [
  { name: 'cdktf', lib: cdktf, pkg: forCdktf },
  {
    name: 'cdktn',
    lib: cdktn as unknown as typeof cdktf,
    pkg: forCdktn as unknown as typeof forCdktf,
  },
];

/** A stack in a fresh testing app. */
export function newStack(flavour: Flavour, name = 'test') {
  const app = flavour.lib.Testing.app();
  return new flavour.lib.TerraformStack(app, name);
}

/** Synthesizes a stack (running construct validations) and parses the Terraform JSON. */
// biome-ignore lint/suspicious/noExplicitAny: synthesized Terraform JSON is untyped
export function synthJson(flavour: Flavour, stack: cdktf.TerraformStack): any {
  return JSON.parse(flavour.lib.Testing.synth(stack, true));
}
