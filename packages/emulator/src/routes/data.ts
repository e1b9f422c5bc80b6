import { createHash } from 'node:crypto';
import type { EmulatorKey } from '../keys.js';

/** `GET /api/v2/UserProfile`, shaped like Lacework's (go-sdk `UserProfile`). */
export function userProfile(key: EmulatorKey) {
  const guid = (a: string) => `${a.toUpperCase()}_${key.keyId.slice(-16)}`;
  return {
    data: [
      {
        username: `emulator-user@${key.account}.example`,
        orgAccount: key.orgAccess,
        url: `${key.account}.lacework.net`,
        orgAdmin: key.orgAccess,
        orgUser: key.orgAccess,
        accounts: [key.account, ...key.subAccounts].map((a) => ({
          admin: true,
          accountName: a.toUpperCase(),
          custGuid: guid(a),
          userGuid: `${guid(a)}_USER`,
          userEnabled: 1,
        })),
      },
    ],
  };
}

/**
 * Cloud account integration types (go-sdk `api/cloud_accounts.go` `CloudAccountTypes`); any of
 * them is a valid `GET CloudAccounts/{type}`.
 */
export const CLOUD_ACCOUNT_TYPES = [
  'AwsCfg',
  'AwsCtSqs',
  'AwsEksAudit',
  'AwsSidekick',
  'AwsSidekickOrg',
  'AwsUsGovCfg',
  'AwsUsGovCtSqs',
  'AzureAdAl',
  'AzureAlSeq',
  'AzureCfg',
  'GcpAtSes',
  'GcpCfg',
  'GcpGkeAudit',
  'GcpSidekick',
  'AzureSidekick',
  'GcpAlPubSub',
  'OciCfg',
  'AwsDspm',
  'AzureDspm',
];

/** An integration GUID like Lacework's: `<ACCOUNT>_<47 characters>`, stable per account. */
function intgGuid(account: string, n: number): string {
  const hash = createHash('sha256').update(`${account.toLowerCase()}:${n}`).digest('hex');
  return `${account.toUpperCase()}_${hash.slice(0, 47).toUpperCase()}`;
}

/**
 * `GET /api/v2/CloudAccounts`: a small fixed list, labelled with the account asked for, shaped
 * like go-sdk `CloudAccountRaw` (`state.*Time` are epoch milliseconds: `lwtime.Epoch`).
 */
export function cloudAccounts(account: string): Record<string, unknown>[] {
  const updated = Date.parse('2024-01-15T10:00:00.000Z');
  const item = (n: number, type: string, name: string, data: Record<string, unknown>) => ({
    createdOrUpdatedBy: `emulator-user@${account}.example`,
    createdOrUpdatedTime: new Date(updated).toISOString(),
    enabled: 1,
    intgGuid: intgGuid(account, n),
    isOrg: 0,
    name: `${account}-${name}`,
    state: { ok: true, lastUpdatedTime: updated, lastSuccessfulTime: updated, details: {} },
    type,
    data,
  });
  return [
    item(1, 'AwsCfg', 'aws-config', {
      awsAccountId: '123456789012',
      crossAccountCredentials: {
        externalId: 'emulator',
        roleArn: 'arn:aws:iam::123456789012:role/lw',
      },
    }),
    item(2, 'AwsCtSqs', 'aws-cloudtrail', {
      awsAccountId: '123456789012',
      crossAccountCredentials: {
        externalId: 'emulator',
        roleArn: 'arn:aws:iam::123456789012:role/lw',
      },
      queueUrl: 'https://sqs.us-west-2.amazonaws.com/123456789012/lacework',
    }),
    item(3, 'GcpCfg', 'gcp-config', { id: 'emulator-project', idType: 'PROJECT' }),
  ];
}

/** One alert (go-sdk `api/alerts.go` `Alert`, plus `alertSource` from its fixtures). */
export type Alert = Record<string, unknown> & { startTime: string };

/** Alerts spread over the last day, newest first. */
export function sampleAlerts(now: number): Alert[] {
  const kinds = [
    ['NewExternalServerIp', 'Anomaly', 'High'],
    ['CloudActivityLogIngestionFailed', 'Policy', 'Medium'],
    ['NewViolations', 'Compliance', 'Critical'],
    ['UnauthorizedAPICall', 'Policy', 'Low'],
    ['NewUser', 'Anomaly', 'Info'],
  ] as const;
  return kinds.map(([alertType, derivedFields, severity], i) => {
    const start = now - (i + 1) * 3 * 3600_000;
    const alertName = alertType.replace(/([a-z])([A-Z])/g, '$1 $2');
    return {
      alertId: 1000 + i,
      alertName,
      alertType,
      severity,
      alertInfo: { subject: alertName, description: `${alertName} (emulated alert).` },
      status: i % 2 === 0 ? 'Open' : 'Closed',
      startTime: new Date(start).toISOString(),
      endTime: new Date(start + 3600_000).toISOString(),
      lastUserUpdateTime: new Date(start + 3600_000).toISOString(),
      policyId: `emulator-${100 + i}`,
      derivedFields: { category: derivedFields, sub_category: alertType, source: 'Emulator' },
      reachability: 'UnknownReachability',
      alertSource: 'UnknownAlertSource',
    };
  });
}
