/** A request of the starter collection, relative to `{{lw_base_url}}/api/v2/`. */
export interface StarterRequest {
  name: string;
  method: 'GET' | 'POST';
  /** Path below `/api/v2/`. */
  path: string;
  query?: Record<string, string>;
  /** JSON body of a POST. */
  body?: unknown;
  /** Sets `lw_start_time`/`lw_end_time` to the last 24 hours before the request. */
  timeWindow?: boolean;
  description: string;
}

/** A folder of the starter collection. */
export interface StarterFolder {
  name: string;
  description: string;
  requests: StarterRequest[];
}

const LAST_DAY = { startTime: '{{lw_start_time}}', endTime: '{{lw_end_time}}' };

/**
 * Lacework API v2 requests users reach for first (paths from https://docs.lacework.net/api/v2/docs).
 * The emulator serves UserProfile, CloudAccounts and Alerts/search; the others need a real account.
 */
export const STARTER_FOLDERS: readonly StarterFolder[] = [
  {
    name: 'Account',
    description: 'Who the API key belongs to and which accounts it can reach.',
    requests: [
      {
        name: 'Get user profile',
        method: 'GET',
        path: 'UserProfile',
        description: 'The user behind the API key, with the accounts and sub-accounts it can use.',
      },
      {
        name: 'List team members',
        method: 'GET',
        path: 'TeamMembers',
        description: 'Users of the account.',
      },
    ],
  },
  {
    name: 'Cloud accounts',
    description: 'Cloud account integrations (AWS, Azure, GCP, ...).',
    requests: [
      {
        name: 'List cloud accounts',
        method: 'GET',
        path: 'CloudAccounts',
        description: 'Every cloud account integration with its state.',
      },
      {
        name: 'Search cloud accounts (AWS Config)',
        method: 'POST',
        path: 'CloudAccounts/search',
        body: { filters: [{ field: 'type', expression: 'eq', value: 'AwsCfg' }] },
        description: 'Cloud account integrations filtered by type.',
      },
    ],
  },
  {
    name: 'Alerts',
    description: 'Alerts and where they are sent.',
    requests: [
      {
        name: 'Search alerts (last 24 hours)',
        method: 'POST',
        path: 'Alerts/search',
        timeWindow: true,
        body: {
          timeFilter: LAST_DAY,
          filters: [{ field: 'severity', expression: 'in', values: ['Critical', 'High'] }],
          returns: ['alertId', 'alertName', 'severity', 'status', 'startTime'],
        },
        description: 'Critical and high alerts of the last 24 hours.',
      },
      {
        name: 'List alerts (last 24 hours)',
        method: 'GET',
        path: 'Alerts',
        timeWindow: true,
        query: { startTime: '{{lw_start_time}}', endTime: '{{lw_end_time}}' },
        description: 'All alerts of the last 24 hours.',
      },
      {
        name: 'List alert channels',
        method: 'GET',
        path: 'AlertChannels',
        description: 'Where alerts are sent (Slack, email, webhooks, ...).',
      },
      {
        name: 'List alert rules',
        method: 'GET',
        path: 'AlertRules',
        description: 'Which alerts go to which channels.',
      },
    ],
  },
  {
    name: 'Vulnerabilities',
    description: 'Host and container vulnerability assessments.',
    requests: [
      {
        name: 'Search host vulnerabilities (last 24 hours)',
        method: 'POST',
        path: 'Vulnerabilities/Hosts/search',
        timeWindow: true,
        body: {
          timeFilter: LAST_DAY,
          filters: [{ field: 'severity', expression: 'in', values: ['Critical', 'High'] }],
        },
        description: 'Critical and high host vulnerabilities found in the last 24 hours.',
      },
      {
        name: 'Search container vulnerabilities (last 24 hours)',
        method: 'POST',
        path: 'Vulnerabilities/Containers/search',
        timeWindow: true,
        body: {
          timeFilter: LAST_DAY,
          filters: [{ field: 'severity', expression: 'in', values: ['Critical', 'High'] }],
        },
        description: 'Critical and high container image vulnerabilities of the last 24 hours.',
      },
    ],
  },
  {
    name: 'Policies',
    description: 'Policies and the LQL queries behind them.',
    requests: [
      {
        name: 'List policies',
        method: 'GET',
        path: 'Policies',
        description: 'Every policy with its severity and state.',
      },
      {
        name: 'List queries',
        method: 'GET',
        path: 'Queries',
        description: 'LQL queries.',
      },
    ],
  },
  {
    name: 'Audit logs',
    description: 'Who did what in the Lacework account.',
    requests: [
      {
        name: 'List audit logs (last 24 hours)',
        method: 'GET',
        path: 'AuditLogs',
        timeWindow: true,
        query: { startTime: '{{lw_start_time}}', endTime: '{{lw_end_time}}' },
        description: 'User actions of the last 24 hours.',
      },
    ],
  },
];

/**
 * Request-level pre-request script of the time-windowed requests. Lacework wants ISO 8601 times
 * without milliseconds; local variables last for this request only (in the Postman app).
 */
export const TIME_WINDOW_SCRIPT: readonly string[] = [
  '// The last 24 hours, in the form Lacework expects (ISO 8601, no milliseconds).',
  'const end = new Date();',
  'const start = new Date(end.getTime() - 24 * 3600 * 1000);',
  "const iso = (date) => date.toISOString().replace(/\\.\\d{3}Z$/, 'Z');",
  "pm.variables.set('lw_start_time', iso(start));",
  "pm.variables.set('lw_end_time', iso(end));",
];
