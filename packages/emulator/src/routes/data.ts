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

/** `GET /api/v2/CloudAccounts`: a small fixed list, labelled with the account asked for. */
export function cloudAccounts(account: string) {
  const created = '2024-01-15T10:00:00.000Z';
  const item = (n: number, type: string, name: string, data: Record<string, unknown>) => ({
    createdOrUpdatedBy: 'emulator-user',
    createdOrUpdatedTime: created,
    enabled: 1,
    intgGuid: `${account.toUpperCase()}_CA${String(n).padStart(4, '0')}`,
    isOrg: 0,
    name: `${account}-${name}`,
    state: { ok: true, lastUpdatedTime: created, lastSuccessfulTime: created, details: {} },
    type,
    data,
  });
  return {
    data: [
      item(1, 'AwsCfg', 'aws-config', {
        awsAccountId: '123456789012',
        crossAccountCredentials: {},
      }),
      item(2, 'AwsCtSqs', 'aws-cloudtrail', { queueUrl: 'https://sqs.example/emulator' }),
      item(3, 'GcpCfg', 'gcp-config', { id: 'emulator-project', idType: 'PROJECT' }),
    ],
  };
}

type Alert = Record<string, unknown> & { startTime: string };

/** Alerts spread over the last day, newest first. */
function sampleAlerts(now: number): Alert[] {
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
    };
  });
}

/** A parsed `Alerts/search` request. */
export interface AlertSearch {
  start: number;
  end: number;
  filters: Filter[];
  returns: string[] | undefined;
}

interface Filter {
  field: string;
  expression: string;
  value?: unknown;
  values?: unknown[];
}

/** Validates an `Alerts/search` body; returns an error message or the parsed search. */
export function parseAlertSearch(body: unknown, now: number): { error: string } | AlertSearch {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { error: 'Request body must be a JSON object.' };
  }
  const { timeFilter, filters, returns } = body as Record<string, unknown>;
  let start = now - 24 * 3600_000;
  let end = now;
  if (timeFilter !== undefined) {
    if (typeof timeFilter !== 'object' || timeFilter === null) {
      return { error: 'timeFilter must be an object with startTime and endTime.' };
    }
    const t = timeFilter as Record<string, unknown>;
    start = typeof t.startTime === 'string' ? Date.parse(t.startTime) : Number.NaN;
    end = typeof t.endTime === 'string' ? Date.parse(t.endTime) : Number.NaN;
    if (Number.isNaN(start) || Number.isNaN(end)) {
      return { error: 'timeFilter.startTime and timeFilter.endTime must be ISO 8601 dates.' };
    }
    if (start > end) return { error: 'timeFilter.startTime must not be after endTime.' };
  }
  if (filters !== undefined && !Array.isArray(filters))
    return { error: 'filters must be an array.' };
  for (const f of (filters ?? []) as unknown[]) {
    const ff = f as Partial<Filter> | null;
    if (
      typeof ff?.field !== 'string' ||
      !['eq', 'ne', 'in', 'not_in'].includes(String(ff.expression))
    ) {
      return {
        error: "each filter needs a field and an expression of 'eq', 'ne', 'in' or 'not_in'.",
      };
    }
  }
  if (
    returns !== undefined &&
    !(Array.isArray(returns) && returns.every((r) => typeof r === 'string'))
  ) {
    return { error: 'returns must be an array of field names.' };
  }
  return {
    start,
    end,
    filters: (filters ?? []) as Filter[],
    returns: returns as string[] | undefined,
  };
}

function fieldValue(alert: Alert, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], alert);
}

/** `POST /api/v2/Alerts/search`: alerts in the time window that pass every filter. */
export function searchAlerts(search: AlertSearch, now: number) {
  const found = sampleAlerts(now).filter((a) => {
    const t = Date.parse(a.startTime);
    if (t < search.start || t > search.end) return false;
    return search.filters.every((f) => {
      const v = fieldValue(a, f.field);
      const list = f.values ?? [f.value];
      if (f.expression === 'eq') return v === f.value;
      if (f.expression === 'ne') return v !== f.value;
      if (f.expression === 'in') return list.includes(v);
      return !list.includes(v);
    });
  });
  const { returns } = search;
  const data = returns
    ? found.map((a) => Object.fromEntries(returns.filter((r) => r in a).map((r) => [r, a[r]])))
    : found;
  return { data, paging: { rows: data.length, totalRows: data.length, urls: { nextPage: null } } };
}
