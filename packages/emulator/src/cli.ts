#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { unknownFlagMessage } from './cli-flags.js';
import { startEmulator } from './server.js';

const HELP = `Usage: lacework-emulator [--port <n>] [--host <addr>] [--page-size <n>] [--no-rate-limit]
                         [--strict-bearer] [--quiet] [--json]

Serves a local Lacework API (token endpoint, UserProfile, CloudAccounts, Alerts, Alerts/search,
Echo) until stopped with Ctrl-C. Prints its URL, a throwaway API key generated for this run, and
the environment the Lacework CLI and lacework-token need to use it.

Options:
  --port <n>        port to listen on (default: a free port)
  --host <addr>     interface to listen on (default: 127.0.0.1)
  --page-size <n>   rows per page of Alerts answers, 1..5000 (default: 5000, as Lacework)
  --no-rate-limit   turn off the 480 requests/hour limit
  --strict-bearer   refuse bare tokens (Authorization without "Bearer ") with 401
  --quiet           do not print a line per request
  --json            print the URL, the key and the environment as one line of JSON, then one
                    JSON line per request (unless --quiet)
  -h, --help        show this help

Exit codes: 0 stopped, 2 wrong usage (unknown flag, bad value), 3 cannot listen (address in
use or not available).
`;

const FLAGS = {
  port: { type: 'string' },
  host: { type: 'string' },
  'page-size': { type: 'string' },
  'no-rate-limit': { type: 'boolean' },
  'strict-bearer': { type: 'boolean' },
  quiet: { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

async function main(): Promise<number> {
  let values: {
    port?: string;
    host?: string;
    'page-size'?: string;
    'no-rate-limit'?: boolean;
    'strict-bearer'?: boolean;
    quiet?: boolean;
    json?: boolean;
    help?: boolean;
  };
  try {
    ({ values } = parseArgs({ options: FLAGS, strict: true }));
  } catch (e) {
    const error = e as NodeJS.ErrnoException;
    const quoted = /'([^']*)'/.exec(error.message)?.[1] ?? '';
    const problem =
      error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION'
        ? unknownFlagMessage(quoted, Object.keys(FLAGS))
        : error.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL'
          ? 'lacework-emulator takes options only.'
          : error.message.split('\n')[0];
    process.stderr.write(`lacework-emulator: ${problem}\nTry 'lacework-emulator --help'.\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!/^\d+$/.test(values.port ?? '0') || port > 65535) {
    process.stderr.write('lacework-emulator: --port must be an integer from 0 to 65535.\n');
    return 2;
  }
  const pageSize = values['page-size'];
  if (pageSize !== undefined && !(/^\d+$/.test(pageSize) && +pageSize >= 1 && +pageSize <= 5000)) {
    process.stderr.write('lacework-emulator: --page-size must be an integer from 1 to 5000.\n');
    return 2;
  }
  let emu: Awaited<ReturnType<typeof startEmulator>>;
  try {
    emu = await startEmulator({
      port,
      ...(values.host === undefined ? {} : { host: values.host }),
      ...(pageSize === undefined ? {} : { pageSize: Number(pageSize) }),
      ...(values['no-rate-limit'] ? { rateLimit: false as const } : {}),
      ...(values['strict-bearer'] ? { bareTokens: false } : {}),
      ...(values.quiet
        ? {}
        : {
            onRequest: (e) =>
              process.stdout.write(
                values.json
                  ? `${JSON.stringify({ time: e.time, method: e.method, path: e.path, status: e.status, fault: e.fault })}\n`
                  : `${e.time} ${e.method} ${e.path} -> ${e.status || 'reset'}${e.fault ? ' (fault)' : ''}\n`,
              ),
          }),
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EADDRNOTAVAIL' || code === 'EACCES') {
      process.stderr.write(
        `lacework-emulator: cannot listen on ${values.host ?? '127.0.0.1'}:${port} (${code}); pick another --port or --host.\n`,
      );
      return 3;
    }
    throw error;
  }
  // Listen for signals before printing: whoever reads the banner may stop us right away.
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  const key = emu.keys[0];
  if (!key) throw new Error('the emulator started without a key');
  // Printing this key is the point: it is the emulator's own throwaway key, valid only here.
  const env = {
    LW_ACCOUNT: key.account,
    LW_API_SERVER_URL: emu.url,
    LW_API_KEY: key.keyId,
    LW_API_SECRET: key.secret,
  };
  if (values.json) {
    const { keyId, secret, account, subAccounts } = key;
    process.stdout.write(
      `${JSON.stringify({ url: emu.url, key: { keyId, secret, account, subAccounts }, env })}\n`,
    );
    await stopped;
    await emu.close();
    return 0;
  }
  process.stdout.write(
    [
      `Lacework emulator listening on ${emu.url}`,
      `Token endpoint: POST ${emu.url}/api/v2/access/tokens`,
      '',
      'Throwaway API key for this run:',
      `  keyId:        ${key.keyId}`,
      `  secret:       ${key.secret}`,
      `  account:      ${key.account}`,
      `  sub-accounts: ${key.subAccounts.join(', ')}`,
      '',
      'Use it from a shell (lacework-token, lacework-api, and the Lacework CLI: `lacework api get UserProfile`):',
      `  export ${Object.entries(env)
        .map(([name, value]) => `${name}=${value}`)
        .join(' ')}`,
      // The Lacework CLI needs an account name even with LW_API_SERVER_URL (which then replaces
      // https://<account>.lacework.net); these two keep it from calling anything but the emulator.
      '  export LW_UPDATES_DISABLE=1 LW_TELEMETRY_DISABLE=1',
      '',
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
  await stopped;
  await emu.close();
  process.stdout.write('Lacework emulator stopped.\n');
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`lacework-emulator: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
