import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** An HTTP server on a random loopback port. */
export interface Listening {
  url: string;
  close(): Promise<void>;
}

/** Serves `app` on a random loopback port; `close()` ends keep-alive connections too. */
export async function listen(app: http.RequestListener): Promise<Listening> {
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
