#!/usr/bin/env node
// A Redis-compatible server for the tests, the fleet example, the demo and the benchmark.
//   node scripts/ensure-redis.mjs   finds redis-server or valkey-server (REDIS_SERVER, PATH,
//                                   /usr/bin, /usr/local/bin, /opt/homebrew/bin); when missing,
//                                   installs Debian's redis-server (as root, with apt-get), else
//                                   exits 1 with install instructions.
// As a module: ensureRedisServer() (the same, returns the path) and startRedisServer() (a private
// server on a random loopback port, no persistence, stopped with the process).
// The installation never starts the system service (a temporary policy-rc.d denies it): nothing
// listens on 6379 because of us, and a busy 6379 cannot make the installation fail.
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const NAMES = ['redis-server', 'valkey-server'];
const DIRS = ['/usr/bin', '/usr/local/bin', '/opt/homebrew/bin', '/usr/sbin'];

export const INSTALL_HELP = `Redis (or Valkey) is needed: the tests, the fleet example and the demo start a private
redis-server on a random loopback port.
Install it, then run again:
  Debian/Ubuntu:  sudo apt-get update && sudo apt-get install -y redis-server
  Fedora/RHEL:    sudo dnf install -y redis      (or valkey)
  Alpine:         apk add redis
  macOS:          brew install redis
or point REDIS_SERVER at a redis-server or valkey-server binary.`;

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The path of redis-server or valkey-server, or undefined. */
export function findRedisServer(env = process.env) {
  if (env.REDIS_SERVER) {
    if (isExecutable(env.REDIS_SERVER)) return env.REDIS_SERVER;
    throw Object.assign(
      new Error(`REDIS_SERVER=${env.REDIS_SERVER} is not an executable file.\n${INSTALL_HELP}`),
      { code: 'ERR_NO_REDIS_SERVER' },
    );
  }
  const dirs = [...(env.PATH ?? '').split(delimiter).filter(Boolean), ...DIRS];
  for (const name of NAMES) {
    for (const dir of dirs) {
      const path = join(dir, name);
      if (isExecutable(path)) return path;
    }
  }
  return undefined;
}

function run(command, args, env) {
  const result = spawnSync(command, args, {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, ...env },
  });
  if (result.status !== 0) {
    throw new Error(`\`${command} ${args.join(' ')}\` failed (exit ${result.status}).`);
  }
}

/** Installs Debian's redis-server with apt-get, without starting the system service. */
function aptInstall(log) {
  const policy = '/usr/sbin/policy-rc.d';
  // invoke-rc.d and deb-systemd-invoke ask policy-rc.d first; 101 means "do not start services".
  const ownPolicy = !existsSync(policy);
  if (ownPolicy) {
    spawnSync('sh', ['-c', `printf '#!/bin/sh\\nexit 101\\n' > ${policy} && chmod 755 ${policy}`]);
  }
  try {
    log('ensure-redis: installing Debian’s redis-server (apt-get update && apt-get install)…');
    const env = { DEBIAN_FRONTEND: 'noninteractive' };
    const wait = ['-o', 'DPkg::Lock::Timeout=300'];
    run('apt-get', [...wait, 'update', '-qq'], env);
    run(
      'apt-get',
      [...wait, 'install', '-y', '-qq', '--no-install-recommends', 'redis-server'],
      env,
    );
  } finally {
    if (ownPolicy) rmSync(policy, { force: true });
  }
}

/** Serializes installs: test tasks run in parallel, apt does not. */
async function withInstallLock(fn) {
  const lock = join(tmpdir(), 'lacework-auth-ensure-redis.lock');
  const started = Date.now();
  for (;;) {
    try {
      const handle = await open(lock, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      if (Date.now() - started > 600_000) throw new Error(`ensure-redis: ${lock} is held too long`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lock, { force: true });
  }
}

/**
 * The path of a Redis-compatible server, installing Debian's redis-server when none is found and
 * this is root with apt-get. Throws with install instructions otherwise.
 */
export async function ensureRedisServer({ install = true, log = console.error } = {}) {
  const found = findRedisServer();
  if (found) return found;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const apt = findExecutable('apt-get');
  if (!install || !root || !apt) {
    const why = !install
      ? 'installing was not allowed here'
      : !apt
        ? 'apt-get is not available to install it'
        : 'installing needs root';
    throw Object.assign(
      new Error(`No redis-server or valkey-server found (${why}).\n${INSTALL_HELP}`),
      { code: 'ERR_NO_REDIS_SERVER' },
    );
  }
  return withInstallLock(() => {
    const again = findRedisServer();
    if (again) return again;
    aptInstall(log);
    const installed = findRedisServer();
    if (!installed) throw new Error(`apt-get installed redis-server but it is not on PATH.`);
    return installed;
  });
}

function findExecutable(name) {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...DIRS];
  return dirs.map((dir) => join(dir, name)).find(isExecutable);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Resolves when a PING on 127.0.0.1:port answers +PONG, rejects on timeout. */
function waitForPong(port, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (child.exitCode !== null || child.signalCode !== null) {
        reject(new Error(`redis-server exited (${child.exitCode ?? child.signalCode})`));
        return;
      }
      const socket = createConnection({ host: '127.0.0.1', port });
      let answer = '';
      const retry = () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error('redis-server did not answer PING in time'));
        else setTimeout(attempt, 50);
      };
      socket.setTimeout(1000, retry);
      socket.on('error', retry);
      socket.on('connect', () => socket.write('PING\r\n'));
      socket.on('data', (chunk) => {
        answer += chunk;
        if (answer.includes('\r\n')) {
          socket.destroy();
          if (answer.startsWith('+PONG')) resolve();
          else retry();
        }
      });
    };
    attempt();
  });
}

/**
 * Starts a private redis-server on 127.0.0.1 (a random port unless `port` is given): no
 * persistence, killed when this process exits. `extraArgs` are appended (e.g. ['--cluster-enabled',
 * 'yes']). Returns { url, port, pid, stop(), signal(name), restart() }.
 */
export async function startRedisServer({ port, extraArgs = [], log = () => {} } = {}) {
  const binary = await ensureRedisServer({ log });
  const dir = mkdtempSync(join(tmpdir(), 'lw-redis-'));
  let child;
  let chosen = port;
  const launch = async (fixedPort) => {
    for (let attempt = 0; ; attempt++) {
      const candidate = fixedPort ?? (await freePort());
      child = spawn(
        binary,
        [
          '--port',
          String(candidate),
          '--bind',
          '127.0.0.1',
          '--save',
          '',
          '--appendonly',
          'no',
          '--dir',
          dir,
          ...extraArgs,
        ],
        { stdio: 'ignore' },
      );
      try {
        await waitForPong(candidate, child, 15_000);
        chosen = candidate;
        return;
      } catch (error) {
        child.kill('SIGKILL');
        // A random port taken between choosing and binding: try another one.
        if (fixedPort !== undefined || attempt >= 4) throw error;
      }
    }
  };
  await launch(port);
  const stopAll = () => {
    child?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stopAll);
  const stop = async () => {
    const current = child;
    if (current.exitCode !== null || current.signalCode !== null) return;
    const exited = new Promise((resolve) => current.once('exit', resolve));
    current.kill('SIGCONT');
    current.kill('SIGKILL');
    await exited;
  };
  return {
    get url() {
      return `redis://127.0.0.1:${chosen}`;
    },
    get port() {
      return chosen;
    },
    get pid() {
      return child.pid;
    },
    /** Sends a signal (SIGSTOP freezes the server: every command hangs; SIGCONT resumes it). */
    signal: (name) => child.kill(name),
    /** Stops the server (its data is gone); `restart()` starts an empty one on the same port. */
    stop,
    restart: async () => {
      await stop();
      await launch(chosen);
    },
    close: async () => {
      await stop();
      process.removeListener('exit', stopAll);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    const path = await ensureRedisServer();
    const version = spawnSync(path, ['--version'], { encoding: 'utf8' }).stdout.trim();
    console.log(`ensure-redis: ${path} (${version.split(' ').slice(0, 3).join(' ')})`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
