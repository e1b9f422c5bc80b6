import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Emulator } from '@lacework-auth/emulator';
import { onTestFinished } from 'vitest';

const WORKER = fileURLToPath(new URL('./fleet-worker.mjs', import.meta.url));
const DIST = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

/** Fails clearly when the package has not been built (the fleet runs the real `dist/`). */
export function assertBuilt(): void {
  if (!existsSync(DIST)) {
    throw new Error('packages/redis/dist is missing: run `pnpm build` in packages/redis first.');
  }
}

export interface Served {
  token: string;
  expiresAt: number;
  servedAt: number;
}

export interface FleetSettings {
  redisUrl: string;
  emulator: Emulator;
  /** Shared by the whole fleet; a fresh one per fleet by default. */
  prefix?: string;
  /** 'url' (the store's own node-redis connection) or 'ioredis' (an application's client). */
  client?: 'url' | 'ioredis';
  lockTtlMs?: number;
  commandTimeoutMs?: number;
  retryMs?: number;
  expiryTime?: number;
}

/** One process of the fleet. */
export interface Member {
  readonly pid: number;
  get(count?: number): Promise<Served[]>;
  invalidate(): Promise<void>;
  warnings(): Promise<string[]>;
  kill(signal: NodeJS.Signals): void;
  /** What the process wrote to stdout and stderr. */
  output(): string;
}

/** Starts `count` processes sharing one key and one Redis, killed when the test finishes. */
export async function startFleet(count: number, settings: FleetSettings): Promise<Member[]> {
  assertBuilt();
  const env = fleetEnv(settings);
  return Promise.all(Array.from({ length: count }, () => startMember(env)));
}

/** Adds a member with the settings of an existing fleet (same prefix: it shares the fleet's token). */
export function startMember(env: Record<string, string>): Promise<Member> {
  const child = fork(WORKER, [], { env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  onTestFinished(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
  });
  let nextId = 0;
  const pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (e: Error) => void }
  >();
  child.on('message', (message: { id?: number; result?: unknown; error?: string }) => {
    if (message.id === undefined) return;
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if (message.error) waiter?.reject(new Error(`worker ${child.pid}: ${message.error}`));
    else waiter?.resolve(message.result);
  });
  child.on('exit', () => {
    for (const waiter of pending.values()) waiter.reject(new Error(`worker ${child.pid} exited`));
    pending.clear();
  });
  const call = (op: string, extra: object = {}) =>
    new Promise<unknown>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      child.send({ id, op, ...extra });
    });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) =>
      reject(new Error(`worker exited (${code}) before ready: ${output}`)),
    );
    child.once('message', () => {
      resolve({
        pid: child.pid as number,
        get: (count = 1) => call('get', { n: count }) as Promise<Served[]>,
        invalidate: async () => void (await call('invalidate')),
        warnings: () => call('warnings') as Promise<string[]>,
        kill: (signal) => child.kill(signal),
        output: () => output,
      });
    });
  });
}

/** The environment of a fleet's members: pass the same `prefix` to start more members later. */
export function fleetEnv(settings: FleetSettings): Record<string, string> {
  const key = settings.emulator.keys[0];
  if (!key) throw new Error('the emulator has no key');
  return {
    PATH: process.env.PATH ?? '',
    REDIS_URL: settings.redisUrl,
    EMU_URL: settings.emulator.url,
    KEY_ID: key.keyId,
    SECRET: key.secret,
    PREFIX: settings.prefix ?? `fleet-${randomBytes(4).toString('hex')}:`,
    CLIENT: settings.client ?? 'url',
    COMMAND_TIMEOUT_MS: String(settings.commandTimeoutMs ?? 5000),
    ...(settings.retryMs ? { RETRY_MS: String(settings.retryMs) } : {}),
    ...(settings.lockTtlMs ? { LOCK_TTL_MS: String(settings.lockTtlMs) } : {}),
    ...(settings.expiryTime ? { EXPIRY_TIME: String(settings.expiryTime) } : {}),
  };
}

/** The distinct tokens in `served`. */
export const distinct = (served: Served[]) => new Set(served.map((s) => s.token));
