import type { Construct, IConstruct } from 'constructs';

/**
 * The few parts of a Terraform CDK library that this package uses. `cdktf` 0.21 and `cdktn` 0.24
 * are separate module graphs (each with its own `TerraformDataSource`, token registry, ...), so
 * the constructs are written once against this shape and bound to one library per entry point
 * (`@lacework-auth/cdktf` and `@lacework-auth/cdktf/cdktn`). Not part of the public API.
 *
 * @internal
 */
export interface CdkLibrary {
  TerraformDataSource: new (
    scope: Construct,
    id: string,
    config: DataSourceConfigLike,
  ) => DataSourceLike;
  /** cdktn 0.24 only: cdktf 0.21 has no ephemeral resources. */
  TerraformEphemeralResource?: new (
    scope: Construct,
    id: string,
    config: DataSourceConfigLike,
  ) => DataSourceLike;
  TerraformProvider: (abstract new (
    scope: Construct,
    id: string,
    config: ProviderConfigLike,
  ) => ProviderLike) & {
    isTerraformProvider(x: unknown): boolean;
  };
  TerraformStack: { of(construct: IConstruct): IConstruct };
  TerraformVariable: new (scope: Construct, id: string, config: VariableConfigLike) => VariableLike;
  Token: {
    isUnresolved(value: unknown): boolean;
    asString(value: unknown): string;
  };
  Fn: {
    jsonencode(value: unknown): string;
    jsondecode(value: string): unknown;
    sensitive(value: unknown): unknown;
    lower(value: string): string;
    trimspace(value: string): string;
    trimsuffix(value: string, suffix: string): string;
    replace(value: string, substring: string, replacement: string): string;
    format(spec: string, values: unknown[]): string;
    can(expression: unknown): unknown;
    floor(value: number): number;
    regex(pattern: string, value: string): unknown;
    plantimestamp(): string;
    timeadd(timestamp: string, duration: string): string;
    timecmp(a: string, b: string): number;
    conditional(condition: unknown, whenTrue: unknown, whenFalse: unknown): unknown;
  };
  Op: {
    and(left: unknown, right: unknown): unknown;
    gte(left: unknown, right: unknown): unknown;
    lte(left: unknown, right: unknown): unknown;
    eq(left: unknown, right: unknown): unknown;
    not(operand: unknown): unknown;
  };
  Annotations: { of(construct: IConstruct): { addWarning(message: string): void } };
  propertyAccess(target: unknown, path: unknown[]): unknown;
}

/** A condition block of `lifecycle` (precondition / postcondition). */
export interface ConditionLike {
  /** A boolean Terraform expression: `${...}` text or a token. */
  readonly condition: unknown;
  readonly errorMessage: string;
}

/** The data source configuration this package passes to `TerraformDataSource`. */
export interface DataSourceConfigLike {
  readonly terraformResourceType: string;
  readonly terraformGeneratorMetadata?: {
    readonly providerName: string;
    readonly providerVersionConstraint?: string;
  };
  // biome-ignore lint/suspicious/noExplicitAny: each library types its own provider class
  readonly provider?: any;
  // biome-ignore lint/suspicious/noExplicitAny: each library types its own dependables
  readonly dependsOn?: any[];
  readonly lifecycle?: {
    readonly precondition?: ConditionLike[];
    readonly postcondition?: ConditionLike[];
  };
}

/** What this package needs from a data source instance. */
export interface DataSourceLike extends IConstruct {
  readonly fqn: string;
  readonly terraformResourceType: string;
  addOverride(path: string, value: unknown): void;
  getStringAttribute(attribute: string): string;
  getNumberAttribute(attribute: string): number;
}

/** The provider configuration this package passes to `TerraformProvider`. */
export interface ProviderConfigLike {
  readonly terraformResourceType: string;
  readonly terraformProviderSource?: string;
  readonly terraformGeneratorMetadata?: {
    readonly providerName: string;
    readonly providerVersionConstraint?: string;
  };
}

/** A provider, as this package sees it (both libraries' providers match). */
export interface ProviderLike extends IConstruct {
  readonly terraformResourceType: string;
  readonly alias?: string | undefined;
  readonly fqn: string;
  addOverride(path: string, value: unknown): void;
  toTerraform(): unknown;
  toHclTerraform(): unknown;
}

/** The variable configuration this package passes to `TerraformVariable`. */
export interface VariableConfigLike {
  readonly type?: string;
  readonly description?: string;
  readonly sensitive?: boolean;
  readonly nullable?: boolean;
  readonly default?: unknown;
  readonly validation?: ConditionLike[];
}

/** What this package needs from a variable instance. */
export interface VariableLike extends IConstruct {
  readonly stringValue: string;
  readonly numberValue: number;
  readonly fqn: string;
  overrideLogicalId(newLogicalId: string): void;
}
