import { createRequire } from 'node:module';
import type { Emulator } from '@lacework-auth/emulator';
import { createCollection } from '@lacework-auth/postman';
import { transcript } from './canary.js';

const require = createRequire(import.meta.url);

interface Execution {
  id: string;
  item: { name: string };
  response?: { code: number };
  requestError?: { code?: string; message?: string };
}

interface Failure {
  error: { message: string };
  source?: { name?: string };
}

interface Summary {
  run: { executions: Execution[]; failures: Failure[] };
}

interface Newman {
  run(
    options: Record<string, unknown>,
    callback: (err: Error | null, summary: Summary) => void,
  ): {
    on(event: 'request', listener: (err: unknown, args: { item: { name: string } }) => void): void;
    on(event: 'done', listener: () => void): void;
  };
}

/** What one item of a run ended with. */
export interface ItemResult {
  name: string;
  /** HTTP status of the item's own request; undefined when it was not sent or failed. */
  status?: number;
  /** Transport error of the item's own request (e.g. ECONNRESET). */
  requestError?: string;
  /** Failed assertions and script errors reported for this item. */
  failures: string[];
}

export interface NewmanRun {
  items: ItemResult[];
}

export interface NewmanInput {
  emu: Emulator;
  /** Item names; each is `GET {{lw_base_url}}/api/v2/UserProfile`. */
  items: string[];
  /** Key to use (default: the emulator's first). */
  key?: { keyId: string; secret: string };
  expiryTime?: number;
  delayRequest?: number;
  timeoutRequest?: number;
  /** Called when an item's request has its answer, before the next item starts. */
  afterItem?: (name: string) => void;
  /** Run newman's CLI reporter, its output going to the canary transcript. */
  cli?: boolean;
}

/** A generated Lacework collection whose items are `GET UserProfile` requests. */
export function profileCollection(items: string[]) {
  const json = createCollection().toJSON();
  return {
    ...json,
    item: items.map((name) => ({
      name,
      request: { method: 'GET', url: '{{lw_base_url}}/api/v2/UserProfile' },
    })),
  };
}

/** Runs the collection with newman's node API, `--ignore-redirects` as the README requires. */
export async function runNewman(input: NewmanInput): Promise<NewmanRun> {
  const newman = require('newman') as Newman;
  const key = input.key ?? input.emu.keys[0];
  if (!key) throw new Error('the emulator has no key');
  const envVar = {
    lw_base_url: input.emu.url,
    lw_key_id: key.keyId,
    lw_secret: key.secret,
    ...(input.expiryTime ? { lw_expiry_time: String(input.expiryTime) } : {}),
  };
  if (input.cli) startCapture();
  try {
    let reported: Promise<void> = Promise.resolve();
    const summary = await new Promise<Summary>((resolve, reject) => {
      const emitter = newman.run(
        {
          collection: profileCollection(input.items),
          envVar: Object.entries(envVar).map(([key, value]) => ({ key, value })),
          reporters: input.cli ? ['cli'] : [],
          color: 'off',
          ignoreRedirects: true,
          delayRequest: input.delayRequest ?? 0,
          timeoutRequest: input.timeoutRequest ?? 10_000,
        },
        (err, result) => (err ? reject(err) : resolve(result)),
      );
      const afterItem = input.afterItem;
      if (afterItem) emitter.on('request', (_err, args) => afterItem(args.item.name));
      // Listeners run in order: this one after the CLI reporter has printed its summary.
      reported = new Promise((done) => emitter.on('done', () => done()));
    });
    await reported;

    // An item whose pre-request script used pm.sendRequest is listed twice (same id).
    const executions = new Map<string, Execution>();
    for (const execution of summary.run.executions) executions.set(execution.id, execution);
    // A skipped item (no token) may have no execution of its own: go by the item names.
    const items = input.items.map((name) => {
      const result: ItemResult = {
        name,
        failures: summary.run.failures
          .filter((failure) => failure.source?.name === name)
          .map((failure) => failure.error.message),
      };
      const execution = [...executions.values()].findLast((e) => e.item.name === name);
      if (execution?.response) result.status = execution.response.code;
      if (execution?.requestError) {
        result.requestError = execution.requestError.code ?? execution.requestError.message;
      }
      return result;
    });
    return { items };
  } finally {
    if (input.cli) stopCapture();
  }
}

// newman's CLI reporter prints to process.stdout, and the matrix runs several newman runs at once
// in this process: while any run captures, everything printed goes to the canary transcript.
let capturing = 0;
let originalWrite: typeof process.stdout.write | undefined;

function startCapture() {
  if (capturing++ > 0) return;
  originalWrite = process.stdout.write;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    transcript.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  }) as typeof process.stdout.write;
}

function stopCapture() {
  if (--capturing > 0 || !originalWrite) return;
  process.stdout.write = originalWrite;
  originalWrite = undefined;
}
