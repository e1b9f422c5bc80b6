// Types for ensure-redis.mjs, for the TypeScript tests that start a Redis server with it.
export const INSTALL_HELP: string;
export function findRedisServer(env?: NodeJS.ProcessEnv): string | undefined;
export function ensureRedisServer(options?: {
  install?: boolean;
  log?: (line: string) => void;
}): Promise<string>;
export interface RedisServer {
  readonly url: string;
  readonly port: number;
  readonly pid: number | undefined;
  signal(name: NodeJS.Signals): boolean;
  stop(): Promise<void>;
  restart(): Promise<void>;
  close(): Promise<void>;
}
export function startRedisServer(options?: {
  port?: number;
  extraArgs?: string[];
  log?: (line: string) => void;
}): Promise<RedisServer>;
