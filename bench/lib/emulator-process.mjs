// An emulator in a process of its own, for benchmarks that measure the CPU of the calling process
// alone: started with `startEmulatorProcess(options)`, it answers with its URL and first key over
// IPC and stops when the parent disconnects.
import { fileURLToPath } from 'node:url';
import { emulatorKeys, forkReady } from './support.mjs';

const self = fileURLToPath(import.meta.url);

/**
 * Starts an emulator (`options` as for startEmulator, JSON only; the bench key when LW_BENCH_* is
 * set) in a child process. Resolves to `{ url, key, close() }`.
 */
export async function startEmulatorProcess(options = {}) {
  const { child, ready: started } = forkReady(self, ['--child']);
  child.send({ keys: emulatorKeys(), ...options });
  const ready = await started;
  return {
    url: ready.url,
    key: ready.key,
    // A process that already exited (it crashed mid-run) is closed: no wait for an exit that
    // came and went, no disconnect error hiding the failure that brought us here.
    close: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', resolve);
        if (child.connected) child.disconnect();
      }),
  };
}

if (process.argv.includes('--child')) {
  const { startEmulator } = await import('@lacework-auth/emulator');
  process.once('message', async (options) => {
    const emulator = await startEmulator(options);
    const [{ keyId, secret }] = emulator.keys;
    process.send({ url: emulator.url, key: { keyId, secret } });
    process.once('disconnect', () => emulator.close());
  });
}
