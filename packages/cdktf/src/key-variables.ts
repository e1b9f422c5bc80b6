import { InvalidOptionError } from '@lacework-auth/core';
import { assertKnownOptions, describe } from '@lacework-auth/core/internal';
import { Construct } from 'constructs';
import type { CdkLibrary, VariableLike } from './library.js';

/** Options of `LaceworkKeyVariables`. */
export interface LaceworkKeyVariablesConfig {
  /**
   * Prefix of the variable names: `<prefix>_key_id`, `<prefix>_secret`, `<prefix>_account`,
   * `<prefix>_base_url` (Terraform reads them from `TF_VAR_<name>`).
   * @default 'lacework'
   */
  readonly prefix?: string;
  /**
   * Also declare `<prefix>_account` (the account name, e.g. `acme`).
   * @default false
   */
  readonly account?: boolean;
  /**
   * Also declare `<prefix>_base_url` (an API base URL such as a proxy or the emulator).
   * @default false
   */
  readonly baseUrl?: boolean;
}

const KNOWN = ['prefix', 'account', 'baseUrl'];

/**
 * Shared implementation of `LaceworkKeyVariables`.
 *
 * @internal
 */
export class LaceworkKeyVariablesBase extends Construct {
  /** The declared variables, by role. */
  readonly variables: {
    readonly keyId: VariableLike;
    readonly secret: VariableLike;
    readonly account?: VariableLike;
    readonly baseUrl?: VariableLike;
  };
  /** `var.<prefix>_key_id`. */
  readonly keyId: string;
  /** `var.<prefix>_secret` (a sensitive variable). */
  readonly secret: string;
  /** `var.<prefix>_account`, when declared. */
  readonly account: string | undefined;
  /** `var.<prefix>_base_url`, when declared. */
  readonly baseUrl: string | undefined;

  protected constructor(
    lib: CdkLibrary,
    scope: Construct,
    id: string,
    config: LaceworkKeyVariablesConfig = {},
  ) {
    super(scope, id);
    if (config === null || typeof config !== 'object' || Array.isArray(config)) {
      throw new InvalidOptionError(
        `\`LaceworkKeyVariables\` options must be an object, got ${describe(config)}.`,
        { option: 'config' },
      );
    }
    assertKnownOptions(config, KNOWN, 'LaceworkKeyVariables');
    const prefix = config.prefix ?? 'lacework';
    if (typeof prefix !== 'string' || !/^[A-Za-z_][A-Za-z0-9_-]*$/.test(prefix)) {
      throw new InvalidOptionError(
        `\`prefix\` must be a Terraform identifier (letters, digits, _ and -, not starting with a digit), got ${describe(prefix)}.`,
        { option: 'prefix' },
      );
    }
    if (config.account && config.baseUrl) {
      throw new InvalidOptionError(
        'Set `account` or `baseUrl` to true, not both: LaceworkAccessToken takes one of them.',
        { option: 'baseUrl' },
      );
    }

    const declare = (
      name: string,
      props: ConstructorParameters<CdkLibrary['TerraformVariable']>[2],
    ) => {
      const variable = new lib.TerraformVariable(this, name, {
        type: 'string',
        nullable: false,
        ...props,
      });
      // Stable, documented names (TF_VAR_lacework_secret) instead of path-derived ids.
      variable.overrideLogicalId(`${prefix}_${name}`);
      return variable;
    };
    const nonEmpty = (name: string, what: string) => ({
      condition: `\${length(trimspace(var.${prefix}_${name})) > 0}`,
      errorMessage: `${what} is empty: set TF_VAR_${prefix}_${name}.`,
    });

    const keyId = declare('key_id', {
      description: 'Lacework API key id (keyId in the key file downloaded from the console).',
      validation: [nonEmpty('key_id', 'The Lacework API key id')],
    });
    const secret = declare('secret', {
      description:
        'Lacework API key secret (secret in the key file). Sensitive: pass it as TF_VAR_' +
        `${prefix}_secret, never in code or tfvars committed to git.`,
      sensitive: true,
      validation: [nonEmpty('secret', 'The Lacework API key secret')],
    });
    const account = config.account
      ? declare('account', {
          description: 'Lacework account: acme, acme.lacework.net or acme.fra.lacework.net.',
          validation: [nonEmpty('account', 'The Lacework account')],
        })
      : undefined;
    const baseUrl = config.baseUrl
      ? declare('base_url', {
          description: 'Lacework API base URL, e.g. https://acme.lacework.net or a proxy.',
          validation: [nonEmpty('base_url', 'The Lacework API base URL')],
        })
      : undefined;

    this.variables = {
      keyId,
      secret,
      ...(account ? { account } : {}),
      ...(baseUrl ? { baseUrl } : {}),
    };
    this.keyId = keyId.stringValue;
    this.secret = secret.stringValue;
    this.account = account?.stringValue;
    this.baseUrl = baseUrl?.stringValue;
  }

  /**
   * The key as `LaceworkAccessToken` config fields (`mode: 'http-data-source'`, `keyId`,
   * `secret`, and `account` or `baseUrl` when declared), ready to spread. Variables are how the
   * `hashicorp/http` mode gets the key; the default mode never takes it from the stack (Terraform
   * saves variable values in plan files), its provider reads it from the environment.
   *
   * @example
   * ```ts
   * const key = new LaceworkKeyVariables(this, 'key', { account: true });
   * new LaceworkAccessToken(this, 'lacework', { ...key.config(), expiryTime: 900 });
   * ```
   */
  config(): {
    mode: 'http-data-source';
    keyId: string;
    secret: string;
    account?: string;
    baseUrl?: string;
  } {
    return {
      mode: 'http-data-source',
      keyId: this.keyId,
      secret: this.secret,
      ...(this.account !== undefined ? { account: this.account } : {}),
      ...(this.baseUrl !== undefined ? { baseUrl: this.baseUrl } : {}),
    };
  }
}
