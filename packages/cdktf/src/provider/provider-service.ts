import type { sendUnaryData, UntypedServiceImplementation } from '@grpc/grpc-js';
import { type DynamicValue, decodeDynamicValue, encodeDynamicValue, isWhollyKnown } from './cty.js';
import { type Diagnostic, errorDiagnostic, warningDiagnostic } from './diagnostics.js';
import {
  PROVIDER_ATTRIBUTES,
  providerSchema,
  TOKEN_TYPE,
  tokenDataSourceSchema,
  tokenEphemeralSchema,
} from './schema.js';
import {
  type ProviderSettings,
  type TokenResult,
  TokenSource,
  TokenSourceError,
  validateExpiryTime,
} from './token-source.js';

/** One RPC as the provider saw it: names only, never values (they hold the secret or token). */
export interface RpcEvent {
  rpc: string;
  typeName?: string;
  diagnostics?: string[];
}

type Handler = (request: Record<string, unknown>) => unknown | Promise<unknown>;

const unknownType = (typeName: unknown, what: string): Diagnostic =>
  errorDiagnostic(
    `Unknown ${what} type`,
    `This provider has no ${what} "${String(typeName)}"; it offers "${TOKEN_TYPE}".`,
  );

/** Validate(DataResource|EphemeralResource)Config: the token type, and its expiry_time. */
const validateTokenConfig =
  (what: string): Handler =>
  (request) => ({
    diagnostics:
      request.type_name === TOKEN_TYPE
        ? validateExpiryTime(
            (decodeDynamicValue(request.config as DynamicValue) as { expiry_time?: unknown })
              ?.expiry_time,
          )
        : [unknownType(request.type_name, what)],
  });

/**
 * The tfplugin6 `Provider` service: a provider block (which key), `data "lacework-auth_token"`
 * and `ephemeral "lacework-auth_token"`. Every handler turns failures into diagnostics, so no
 * exception reaches gRPC (whose error text Terraform would print).
 */
export function providerService(
  options: { env?: NodeJS.ProcessEnv; onRpc?: (event: RpcEvent) => void } = {},
): UntypedServiceImplementation {
  let source: TokenSource | undefined;

  const capabilities = { plan_destroy: true, get_provider_schema_optional: false };

  const readToken = async (
    typeName: unknown,
    config: DynamicValue,
  ): Promise<Diagnostic[] | TokenResult> => {
    if (typeName !== TOKEN_TYPE) return [unknownType(typeName, 'token')];
    const values = decodeDynamicValue(config) as { expiry_time?: number | null } | null;
    if (!isWhollyKnown(values)) {
      return [errorDiagnostic('Unknown configuration', 'expiry_time is not known yet.')];
    }
    const invalid = validateExpiryTime(values?.expiry_time);
    if (invalid.length > 0) return invalid;
    if (!source) {
      return [
        errorDiagnostic(
          'Provider not configured',
          'The lacework-auth provider configuration is not known yet (it depends on a value known only after apply).',
        ),
      ];
    }
    try {
      return await source.token(values?.expiry_time ?? null);
    } catch (error) {
      const failure =
        error instanceof TokenSourceError
          ? error
          : new TokenSourceError('Token exchange failed', 'unexpected error');
      return [errorDiagnostic(failure.summary, failure.detail)];
    }
  };

  const warnings = (): Diagnostic[] =>
    (source?.takeWarnings() ?? []).map((message) => warningDiagnostic('lacework-auth', message));

  /** ReadDataSource (the token in `state`) and OpenEphemeralResource (in `result`). */
  const readTokenInto =
    (field: 'state' | 'result'): Handler =>
    async (request) => {
      const result = await readToken(request.type_name, request.config as DynamicValue);
      if (Array.isArray(result)) return { diagnostics: result };
      return { [field]: encodeDynamicValue(result), diagnostics: warnings() };
    };

  const handlers: Record<string, Handler> = {
    GetMetadata: () => ({
      server_capabilities: capabilities,
      data_sources: [{ type_name: TOKEN_TYPE }],
      ephemeral_resources: [{ type_name: TOKEN_TYPE }],
    }),
    GetProviderSchema: () => ({
      provider: providerSchema,
      data_source_schemas: { [TOKEN_TYPE]: tokenDataSourceSchema },
      ephemeral_resource_schemas: { [TOKEN_TYPE]: tokenEphemeralSchema },
      server_capabilities: capabilities,
    }),
    ValidateProviderConfig: () => ({ diagnostics: [] }),
    ConfigureProvider: (request) => {
      const config = decodeDynamicValue(request.config as DynamicValue) as Record<string, unknown>;
      // Unknown provider configuration (known only after apply): reads say so if they happen.
      if (!isWhollyKnown(config)) return { diagnostics: [] };
      const settings = Object.fromEntries(
        PROVIDER_ATTRIBUTES.map(({ name }) => [name, config?.[name] ?? null]),
      ) as unknown as ProviderSettings;
      try {
        source = new TokenSource(settings, options.env);
        return { diagnostics: [] };
      } catch (error) {
        source = undefined;
        const failure =
          error instanceof TokenSourceError
            ? error
            : new TokenSourceError('Invalid configuration', 'unexpected error');
        return { diagnostics: [errorDiagnostic(failure.summary, failure.detail)] };
      }
    },
    ValidateDataResourceConfig: validateTokenConfig('data source'),
    ValidateEphemeralResourceConfig: validateTokenConfig('ephemeral resource'),
    ReadDataSource: readTokenInto('state'),
    OpenEphemeralResource: readTokenInto('result'),
    // Nothing to renew or release: the token lives until it expires, and stays cached for the next run.
    RenewEphemeralResource: () => ({ diagnostics: [] }),
    CloseEphemeralResource: () => ({ diagnostics: [] }),
    StopProvider: () => ({ Error: '' }),
  };

  return Object.fromEntries(
    Object.entries(handlers).map(([rpc, handler]) => [
      rpc,
      // biome-ignore lint/suspicious/noExplicitAny: grpc-js passes untyped calls here
      (call: any, callback: sendUnaryData<unknown>) => {
        Promise.resolve()
          .then(() => handler(call.request))
          .then(
            (response) => {
              const diagnostics = (response as { diagnostics?: Diagnostic[] }).diagnostics;
              options.onRpc?.({
                rpc,
                ...(typeof call.request?.type_name === 'string'
                  ? { typeName: call.request.type_name }
                  : {}),
                ...(diagnostics?.length ? { diagnostics: diagnostics.map((d) => d.summary) } : {}),
              });
              callback(null, response);
            },
            (error) => {
              options.onRpc?.({ rpc, diagnostics: ['internal error'] });
              callback({
                code: 13,
                details: `internal error (${(error as Error)?.name ?? 'unknown'})`,
              });
            },
          );
      },
    ]),
  );
}
