import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

interface NewmanSummary {
  run: {
    stats: Record<string, { total: number; failed: number; pending?: number }>;
    failures: { error: { message: string; test?: string }; source?: { name?: string } }[];
    executions: {
      id: string;
      item: { name: string };
      response?: { code: number };
      requestError?: unknown;
      assertions?: { assertion: string; error?: { message: string } }[];
    }[];
  };
}

interface NewmanEmitter {
  on(event: 'request', listener: (err: unknown, args: { item: { name: string } }) => void): void;
}

interface Newman {
  run(
    options: Record<string, unknown>,
    callback: (err: Error | null, summary: NewmanSummary) => void,
  ): NewmanEmitter;
}

/** What one runner produced: console text, report files and failure messages. */
export interface RunResult {
  /** Everything the runner printed (newman's CLI reporter / the Postman CLI's stdout+stderr). */
  output: string;
  /** JSON report text. */
  json: string;
  /** JUnit report text. */
  junit: string;
  /** Failure messages (newman: from the summary; Postman CLI: from the JSON report). */
  failures: string[];
  /** Status codes of the collection's requests, in order (undefined: not sent or errored). */
  statuses: (number | undefined)[];
  /** Newman summary (newman only). */
  summary?: NewmanSummary;
  /** Exit code (Postman CLI only). */
  exitCode?: number;
}

/** Run inputs shared by both runners. */
export interface RunInput {
  collection: object;
  /** Environment variables (`--env-var`). */
  envVar?: Record<string, string>;
  /**
   * Iteration data (`--iteration-data`): one object for one iteration, an array for several.
   * Variables there are not dumped into reports.
   */
  iterationData?: Record<string, string> | Record<string, string>[];
  /** Milliseconds between requests. */
  delayRequest?: number;
  /** Do not follow redirects (newman `ignoreRedirects`, Postman CLI `--ignore-redirects`). */
  ignoreRedirects?: boolean;
  /** newman only: called after each request's response (e.g. to revoke tokens mid-run). */
  onRequest?: (itemName: string) => void;
}

function asArray<T>(value: T | T[]): T[] {
  return Array.isArray(value) ? value : [value];
}

function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'lw-postman-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs a collection with newman's node API and captures its CLI reporter's output. */
export async function runNewman(input: RunInput): Promise<RunResult> {
  const newman = require('newman') as Newman;
  const { dir, cleanup } = tempDir();
  const jsonPath = join(dir, 'report.json');
  const junitPath = join(dir, 'report.xml');
  const chunks: string[] = [];
  const write = process.stdout.write;
  // newman's CLI reporter prints straight to process.stdout.
  process.stdout.write = ((chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  }) as typeof process.stdout.write;
  try {
    const summary = await new Promise<NewmanSummary>((resolve, reject) => {
      const emitter = newman.run(
        {
          collection: input.collection,
          envVar: Object.entries(input.envVar ?? {}).map(([key, value]) => ({ key, value })),
          ...(input.iterationData ? { iterationData: asArray(input.iterationData) } : {}),
          delayRequest: input.delayRequest ?? 0,
          reporters: ['cli', 'json', 'junit'],
          reporter: { json: { export: jsonPath }, junit: { export: junitPath } },
          color: 'off',
          timeoutRequest: 10_000,
          ...(input.ignoreRedirects ? { ignoreRedirects: true } : {}),
        },
        (err, result) => (err ? reject(err) : resolve(result)),
      );
      if (input.onRequest) {
        const onRequest = input.onRequest;
        emitter.on('request', (_err, args) => onRequest(args.item.name));
      }
    });
    return {
      output: chunks.join(''),
      json: readFileSync(jsonPath, 'utf8'),
      junit: readFileSync(junitPath, 'utf8'),
      failures: summary.run.failures.map((f) => f.error.message),
      // newman lists an item's execution once more when its pre-request script used
      // pm.sendRequest (same execution id): count each execution once.
      statuses: [...new Map(summary.run.executions.map((e) => [e.id, e])).values()].map(
        (e) => e.response?.code,
      ),
      summary,
    };
  } finally {
    process.stdout.write = write;
    cleanup();
  }
}

const POSTMAN_BIN = fileURLToPath(new URL('../../node_modules/.bin/postman', import.meta.url));

/** The Postman CLI's own JSON report structure (not newman's, which copies the environment). */
interface PostmanCliReport {
  run?: {
    executions?: {
      response?: { code?: number };
      tests?: { status?: string; error?: { message?: string } }[];
      errors?: { message?: string }[];
    }[];
  };
}

/**
 * Runs a collection file with the official Postman CLI (`postman collection run`), offline.
 * Asynchronous on purpose: the emulator runs in this process and must keep answering.
 */
export async function runPostmanCli(input: RunInput): Promise<RunResult> {
  const { dir, cleanup } = tempDir();
  try {
    const collectionPath = join(dir, 'collection.json');
    writeFileSync(collectionPath, JSON.stringify(input.collection));
    const jsonPath = join(dir, 'report.json');
    const junitPath = join(dir, 'report.xml');
    const args = ['collection', 'run', collectionPath, '-r', 'cli,json,junit'];
    args.push('--reporter-json-export', jsonPath, '--reporter-junit-export', junitPath);
    args.push('--disable-unicode');
    for (const [key, value] of Object.entries(input.envVar ?? {})) {
      args.push('--env-var', `${key}=${value}`);
    }
    if (input.iterationData) {
      const dataPath = join(dir, 'data.json');
      writeFileSync(dataPath, JSON.stringify(asArray(input.iterationData)));
      args.push('--iteration-data', dataPath);
    }
    if (input.delayRequest) args.push('--delay-request', String(input.delayRequest));
    args.push('--timeout-request', '10000');
    if (input.ignoreRedirects) args.push('--ignore-redirects');
    const { exitCode, output } = await new Promise<{ exitCode: number; output: string }>(
      (resolve) => {
        execFile(
          POSTMAN_BIN,
          args,
          {
            cwd: dir,
            encoding: 'utf8',
            timeout: 60_000,
            env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
          },
          (error, stdout, stderr) => {
            const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
            resolve({ exitCode: code, output: `${stdout}${stderr}` });
          },
        );
      },
    );
    const json = readFileSync(jsonPath, 'utf8');
    const report = JSON.parse(json) as PostmanCliReport;
    return {
      output,
      json,
      junit: readFileSync(junitPath, 'utf8'),
      failures: (report.run?.executions ?? []).flatMap((e) => [
        ...(e.tests ?? []).filter((t) => t.status === 'failed').map((t) => t.error?.message ?? ''),
        ...(e.errors ?? []).map((error) => error.message ?? ''),
      ]),
      statuses: (report.run?.executions ?? []).map((e) => e.response?.code),
      exitCode,
    };
  } finally {
    cleanup();
  }
}

/** The two real runners, for `describe.each`. */
export const RUNNERS = [
  { name: 'newman', run: runNewman },
  { name: 'postman-cli', run: runPostmanCli },
] as const;
