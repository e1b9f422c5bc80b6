import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OnFinished } from './cleanup.js';

/**
 * Listens with `server` on a random loopback port; closed (keep-alive connections included) when
 * the test finishes. Counts the connections it accepts.
 */
export async function listenFixture(
  onFinished: OnFinished,
  server: Server,
): Promise<{ url: string; port: number; connections: () => number }> {
  let connections = 0;
  server.on('connection', () => {
    connections++;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onFinished(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, port, connections: () => connections };
}
