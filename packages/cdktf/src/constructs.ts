import type { Construct } from 'constructs';
import { LaceworkAccessTokenBase } from './access-token.js';
import { LaceworkKeyVariablesBase, type LaceworkKeyVariablesConfig } from './key-variables.js';
import type { CdkLibrary, VariableLike } from './library.js';
import type { LaceworkAccessTokenConfig } from './options.js';

/** A construct class: its constructor, and `isConstruct` as every construct class has. */
type ConstructClass<Args extends unknown[], Instance> = (new (
  ...args: Args
) => Instance) & {
  isConstruct(x: unknown): x is Construct;
};

/** What {@link bindConstructs} returns, typed with the base classes (they carry the docs). */
export interface BoundConstructs<Variable extends VariableLike> {
  LaceworkAccessToken: ConstructClass<
    [scope: Construct, id: string, config: LaceworkAccessTokenConfig],
    LaceworkAccessTokenBase
  >;
  LaceworkKeyVariables: ConstructClass<
    [scope: Construct, id: string, config?: LaceworkKeyVariablesConfig],
    LaceworkKeyVariablesBase & {
      /** The declared variables, by role. */
      readonly variables: {
        readonly keyId: Variable;
        readonly secret: Variable;
        readonly account?: Variable;
        readonly baseUrl?: Variable;
      };
    }
  >;
}

/**
 * The constructs bound to one Terraform CDK library: each entry point (`@lacework-auth/cdktf`
 * for cdktf 0.21, `@lacework-auth/cdktf/cdktn` for CDK Terrain) passes its library and its
 * `TerraformVariable` class, and exports a documented subclass of each.
 *
 * @internal
 */
export function bindConstructs<Variable extends VariableLike>(
  lib: CdkLibrary,
): BoundConstructs<Variable> {
  class LaceworkAccessToken extends LaceworkAccessTokenBase {
    constructor(scope: Construct, id: string, config: LaceworkAccessTokenConfig) {
      super(lib, scope, id, config);
    }
  }

  class LaceworkKeyVariables extends LaceworkKeyVariablesBase {
    constructor(scope: Construct, id: string, config: LaceworkKeyVariablesConfig = {}) {
      super(lib, scope, id, config);
    }
  }

  // The variables are the library's own TerraformVariable instances (lib.TerraformVariable).
  return { LaceworkAccessToken, LaceworkKeyVariables } as BoundConstructs<Variable>;
}
