#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createLaceworkClient } from '../client/client.js';
import { SAFE_INPUT, showInput } from '../protocol/redact.js';
import { EXIT_CODES } from './exit-codes.js';
import { KEY_FLAGS, KEY_FLAGS_HELP, type KeyFlagValues, UsageError } from './key.js';
import { failure, type Io, runIfMain, usage, usageProblem } from './shared.js';
import { helpOrVersion, startKey } from './start.js';

const HELP = `Usage: lacework-api <method> <path> [options]

Calls the Lacework API v2 and prints the JSON answer: the shell counterpart of \`lacework api\`.
  lacework-api get UserProfile
  lacework-api get 'Alerts?startTime=2026-01-01T00:00:00Z&endTime=2026-01-02T00:00:00Z' --all
  lacework-api post Alerts/search --data '{"filters": [{"field": "severity", "expression": "eq", "value": "High"}]}'
  lacework-api post Alerts/search --data @search.json --all --jsonl | jq -r .alertId

<method> is get, post, patch or delete; <path> is under /api/v2/ (UserProfile,
/api/v2/UserProfile and v2/UserProfile are the same) and may carry a ?query.

The key is found as lacework-token finds it (flags and --key-file first, then LW_*, then
~/.lacework.toml; --explain shows which), and the token comes from the same cache (mode 0600),
so neither command exchanges the key while the token is fresh.

Options:
  -d, --data <json>     request body: inline JSON, @file.json, or @- for stdin (not with get)
  --all                 follow paging.urls.nextPage and print every item of every page as one
                        JSON array (an empty search prints [])
  --jsonl               like --all, but print each item as one line of JSON, as pages arrive
${KEY_FLAGS_HELP}

Output: the answer's JSON, indented (with --json: on one line), on stdout; an empty search (204)
prints {"data": []}. Errors go to stderr with a stable code, e.g. [ERR_LW_HTTP]. Neither the
secret nor the token is ever printed.

Exit codes: 0 done; 1 Lacework answered with an error (HTTP 4xx/5xx, rate limit); 2 wrong usage
(bad arguments, --data that is not JSON or cannot be read); 3 configuration (no key or account
found, a key file, profile or LW_* value that cannot be used); 4 Lacework refused the key;
5 network (Lacework unreachable or too slow).`;

// The methods the Lacework CLI's `api` command takes (go-sdk cli/cmd/api.go).
const METHODS = ['get', 'post', 'patch', 'delete'];

/** Runs `lacework-api` with `args`; returns the exit code (see `EXIT_CODES`). */
export async function main(args: string[], io: Io & { stdin?: () => string }): Promise<number> {
  const command = 'lacework-api';
  const json = args.includes('--json');
  let request: ReturnType<typeof parseRequest>;
  try {
    request = parseRequest(args, io);
  } catch (error) {
    if (error instanceof UsageError) return usage(io, command, error.message, json);
    throw error;
  }
  const info = helpOrVersion(io, request.flags, HELP);
  if (info !== undefined) return info;
  const started = await startKey(io, command, request.flags, json);
  if ('exit' in started) return started.exit;
  const { key, provider } = started;
  const tokens = new Set<string>();
  // Whatever the server answers, the token it was sent never reaches the terminal.
  const hide = (text: string) => {
    let out = text;
    for (const token of tokens) out = out.split(token).join('[REDACTED]');
    return out;
  };
  const client = createLaceworkClient({
    tokenProvider: {
      ...provider,
      async getToken(options) {
        const token = await provider.getToken(options);
        tokens.add(token.token);
        return token;
      },
    },
    ...(key.options.timeout === undefined ? {} : { timeout: key.options.timeout }),
  });
  const { method, path, body, all, jsonl } = request;
  try {
    if (all) {
      const items: unknown[] = [];
      for await (const item of client.paginate(path, { method, json: body })) {
        if (jsonl) io.stdout(`${hide(JSON.stringify(item))}\n`);
        else items.push(item);
      }
      if (!jsonl) io.stdout(`${hide(JSON.stringify(items, null, json ? 0 : 2))}\n`);
      return EXIT_CODES.ok;
    }
    const text = await client(path, { method, json: body }).text();
    io.stdout(hide(pretty(text, json)));
    return EXIT_CODES.ok;
  } catch (error) {
    return failure(io, command, error, json, false, hide);
  }
}

function parseRequest(args: string[], io: Io & { stdin?: () => string }) {
  let parsed: ReturnType<typeof parseFlags>;
  try {
    parsed = parseFlags(args);
  } catch (error) {
    throw new UsageError(usageProblem(error, args, FLAGS));
  }
  const { values, positionals } = parsed;
  const flags = values as KeyFlagValues;
  // These need no method and path: they are handled before the request.
  if (flags.help || flags.version || flags.explain || flags['clear-cache']) {
    return { method: 'get', path: '', body: undefined, all: false, jsonl: false, flags };
  }
  const [rawMethod, rawPath, ...extra] = positionals;
  if (rawMethod === undefined || rawPath === undefined) {
    throw new UsageError('give a method and a path, e.g. `lacework-api get UserProfile`.');
  }
  if (extra.length > 0) {
    throw new UsageError(`unexpected argument ${showInput(extra[0], SAFE_INPUT.name)}.`);
  }
  const method = rawMethod.toLowerCase();
  if (!METHODS.includes(method)) {
    throw new UsageError(
      `unknown method ${showInput(rawMethod, SAFE_INPUT.name)}; use one of ${METHODS.join(', ')}.`,
    );
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(rawPath) || rawPath.startsWith('//')) {
    throw new UsageError(
      'give a path under /api/v2/ (e.g. UserProfile), not a URL: the address comes from the account or LW_API_SERVER_URL.',
    );
  }
  // As the Lacework CLI's `api` command: "/api/v2/X", "api/v2/X", "v2/X" and "X" are one path.
  const path = rawPath
    .replace(/^\/+/, '')
    .replace(/^api\//, '')
    .replace(/^v2\//, '');
  if (path === '') throw new UsageError('the path is empty; e.g. `lacework-api get UserProfile`.');
  const all = values.all === true || values.jsonl === true;
  if (all && method !== 'get' && method !== 'post') {
    throw new UsageError('--all and --jsonl page through GET lists and POST searches only.');
  }
  let body: unknown;
  if (values.data !== undefined) {
    if (method === 'get') throw new UsageError('--data goes with post, patch or delete.');
    body = parseData(values.data, io.stdin);
  }
  return { method, path, body, all, jsonl: values.jsonl === true, flags };
}

function parseData(data: string, stdin: (() => string) | undefined): unknown {
  let text = data;
  let from = '--data';
  if (data.startsWith('@')) {
    const file = data.slice(1);
    from = file === '-' ? 'stdin' : `--data file ${showInput(file, SAFE_INPUT.path)}`;
    try {
      text =
        file === '-' ? (stdin ?? (() => readFileSync(0, 'utf8')))() : readFileSync(file, 'utf8');
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'unreadable';
      throw new UsageError(`cannot read ${from} (${code}).`);
    }
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    // Only the position: the parser's own message may quote the input, which could be a secret.
    const position = /position (\d+)/.exec((error as Error).message)?.[1];
    throw new UsageError(
      `${from} is not valid JSON${position === undefined ? '' : ` (at character ${position})`}.`,
    );
  }
}

/** JSON indented as the Lacework CLI prints it (one line with --json); other text as it came. */
function pretty(text: string, compact: boolean): string {
  if (text === '') return '';
  try {
    return `${JSON.stringify(JSON.parse(text), null, compact ? 0 : 2)}\n`;
  } catch {
    return text.endsWith('\n') ? text : `${text}\n`;
  }
}

const FLAGS = {
  data: { type: 'string', short: 'd' },
  all: { type: 'boolean' },
  jsonl: { type: 'boolean' },
  ...KEY_FLAGS,
} as const;

function parseFlags(args: string[]) {
  return parseArgs({ args, strict: true, allowPositionals: true, options: FLAGS });
}

runIfMain(import.meta.url, main);
