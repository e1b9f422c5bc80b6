import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import grpc from '@grpc/grpc-js';
import {
  type DynamicValue,
  decodeDynamicValue,
  encodeDynamicValue,
} from '../../src/provider/cty.js';
import { loadProtocol } from '../../src/provider/protocol.js';
import { type AttributeSpec, type CtyType, schema } from '../../src/provider/schema.js';

/** The address Terraform resolves `source = "lacework/lacework"` to. */
export const LACEWORK_PROVIDER_ADDRESS = 'registry.terraform.io/lacework/lacework';

/** An attribute without a description (the stand-in's schemas are for Terraform, not people). */
const attribute = (
  name: string,
  type: CtyType,
  flags: Pick<AttributeSpec, 'optional' | 'computed'>,
): AttributeSpec => ({ name, type, description: '', ...flags });

/**
 * The provider block of lacework/terraform-provider-lacework (lacework/provider.go): every
 * attribute optional, none marked sensitive (not even api_secret and api_token).
 */
const providerSchema = schema('', [
  ...['profile', 'account', 'subaccount', 'api_key', 'api_secret', 'api_token'].map((name) =>
    attribute(name, 'string', { optional: true }),
  ),
  attribute('organization', 'bool', { optional: true }),
]);

const ACCOUNT: CtyType = [
  'object',
  {
    account_name: 'string',
    admin: 'bool',
    cust_guid: 'string',
    user_enabled: 'bool',
    user_guid: 'string',
  },
];

/** `data "lacework_user_profile"` (lacework/data_source_lacework_user_profile.go, SDKv2). */
const userProfileSchema = schema('', [
  attribute('id', 'string', { optional: true, computed: true }),
  attribute('username', 'string', { computed: true }),
  attribute('org_account', 'bool', { computed: true }),
  attribute('org_admin', 'bool', { computed: true }),
  attribute('org_user', 'bool', { computed: true }),
  attribute('url', 'string', { computed: true }),
  attribute('accounts', ['set', ACCOUNT], { computed: true }),
]);

/** The fields of a UserProfile entry this data source reads (go-sdk `api.UserProfile`). */
interface UserProfile {
  username: string;
  orgAccount: boolean;
  orgAdmin: boolean;
  orgUser: boolean;
  url: string;
  accounts: Record<string, unknown>[];
}

interface ProviderConfig {
  account: string | null;
  subaccount: string | null;
  api_token: string | null;
  organization: boolean | null;
}

/** A stand-in for `lacework/lacework`, attached to Terraform with `TF_REATTACH_PROVIDERS`. */
export interface LaceworkProvider {
  /** This provider's entry of `TF_REATTACH_PROVIDERS` (merge it with others). */
  reattach: Record<string, unknown>;
  /** RPC names Terraform called, in order (no values). */
  calls: string[];
  close(): Promise<void>;
}

/**
 * The official Lacework provider, as far as configuring it with a token goes: the provider block
 * (`api_token`, `subaccount`, `organization`) and `data "lacework_user_profile"`, which calls
 * `GET /api/v2/UserProfile` the way the Go SDK does (`Authorization: <token>`, no `Bearer`;
 * `Account-Name`; `Org-Access`). The real provider has no base URL setting (it always calls
 * `https://<account>.lacework.net`), so the stand-in is given the emulator's URL when started.
 * Like the real data source it sets `id` to the username and leaves `username` null.
 */
export async function startLaceworkProvider(options: {
  baseUrl: string;
}): Promise<LaceworkProvider> {
  const services = grpc.loadPackageDefinition(loadProtocol()) as unknown as {
    tfplugin6: { Provider: { service: grpc.ServiceDefinition } };
  };
  const calls: string[] = [];
  let config: ProviderConfig | undefined;

  const unary =
    (rpc: string, handler: (request: Record<string, unknown>) => unknown) =>
    (call: { request: Record<string, unknown> }, callback: grpc.sendUnaryData<unknown>) => {
      calls.push(rpc);
      Promise.resolve()
        .then(() => handler(call.request))
        .then(
          (response) => callback(null, response),
          (error) => callback({ code: grpc.status.INTERNAL, details: String(error) }),
        );
    };
  const error = (summary: string, detail: string) => ({
    diagnostics: [{ severity: 'ERROR', summary, detail }],
  });

  const server = new grpc.Server();
  server.addService(services.tfplugin6.Provider.service, {
    GetProviderSchema: unary('GetProviderSchema', () => ({
      provider: providerSchema,
      data_source_schemas: { lacework_user_profile: userProfileSchema },
      server_capabilities: { plan_destroy: true },
    })),
    ValidateProviderConfig: unary('ValidateProviderConfig', () => ({ diagnostics: [] })),
    ValidateDataResourceConfig: unary('ValidateDataResourceConfig', () => ({ diagnostics: [] })),
    ConfigureProvider: unary('ConfigureProvider', (request) => {
      config = decodeDynamicValue(request.config as DynamicValue) as ProviderConfig;
      return { diagnostics: [] };
    }),
    ReadDataSource: unary('ReadDataSource', async (request) => {
      if (!config?.api_token) {
        return error('Unable to create Lacework API client', 'this stand-in needs api_token');
      }
      const headers: Record<string, string> = {
        Authorization: config.api_token,
        Accept: 'application/json',
      };
      if (config.subaccount) headers['Account-Name'] = config.subaccount;
      if (config.organization) headers['Org-Access'] = 'true';
      const response = await fetch(`${options.baseUrl}/api/v2/UserProfile`, { headers });
      if (!response.ok) {
        return error(
          'Error reading UserProfile',
          `[GET] ${options.baseUrl}/api/v2/UserProfile\n  [${response.status}] ${await response.text()}`,
        );
      }
      const [profile] = ((await response.json()) as { data: UserProfile[] }).data;
      const configured = decodeDynamicValue(request.config as DynamicValue) as Record<
        string,
        unknown
      >;
      return {
        state: encodeDynamicValue({
          ...configured,
          id: profile?.username,
          username: null,
          org_account: profile?.orgAccount === true,
          org_admin: profile?.orgAdmin === true,
          org_user: profile?.orgUser === true,
          url: profile?.url,
          accounts: (profile?.accounts ?? []).map((a) => ({
            account_name: a.accountName,
            admin: a.admin === true,
            cust_guid: a.custGuid,
            user_enabled: a.userEnabled === 1 || a.userEnabled === true,
            user_guid: a.userGuid,
          })),
        }),
        diagnostics: [],
      };
    }),
    StopProvider: unary('StopProvider', () => ({ Error: '' })),
  });

  const dir = mkdtempSync(join(tmpdir(), 'tflw-'));
  const socket = join(dir, 'provider.sock');
  await new Promise<void>((resolve, reject) =>
    server.bindAsync(`unix://${socket}`, grpc.ServerCredentials.createInsecure(), (err) =>
      err ? reject(err) : resolve(),
    ),
  );
  return {
    reattach: {
      [LACEWORK_PROVIDER_ADDRESS]: {
        Protocol: 'grpc',
        ProtocolVersion: 6,
        Pid: process.pid,
        Test: true,
        Addr: { Network: 'unix', String: socket },
      },
    },
    calls,
    async close() {
      await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
