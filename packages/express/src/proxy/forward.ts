import http, {
  type ClientRequest,
  type IncomingMessage,
  type OutgoingHttpHeaders,
} from 'node:http';
import https from 'node:https';

/** Where and how to send one upstream request. */
export interface UpstreamTarget {
  /** `http:` or `https:`. */
  protocol: string;
  hostname: string;
  /** Port number, or `''` for the protocol's default. */
  port: string;
  /** Path and query, already validated. */
  path: string;
  method: string;
  headers: OutgoingHttpHeaders;
  agent: http.Agent;
  /** Milliseconds the upstream may stay silent (no response headers, no body data). */
  timeout: number;
}

/** Why the upstream request failed before or while its response arrived. */
export class UpstreamFailure extends Error {
  override name = 'UpstreamFailure';
  constructor(
    readonly kind: 'network' | 'timeout',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** An upstream request in flight: write the body to `request`, await `response`. */
export interface UpstreamExchange {
  request: ClientRequest;
  /** Resolves with the response once its headers arrive; rejects with an {@link UpstreamFailure}. */
  response: Promise<IncomingMessage>;
}

/**
 * Opens one request to the upstream over `node:http`/`node:https` without buffering anything:
 * the caller streams the body into `request` and pipes the response onward. The timeout is an
 * idle timeout for the whole exchange, so a slow but steady download is not cut off.
 */
export function openUpstream(target: UpstreamTarget): UpstreamExchange {
  const transport = target.protocol === 'https:' ? https : http;
  let settled = false;
  let request!: ClientRequest;
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    request = transport.request({
      protocol: target.protocol,
      hostname: target.hostname,
      port: target.port === '' ? undefined : target.port,
      path: target.path,
      method: target.method,
      headers: target.headers,
      agent: target.agent,
    });
    request.setTimeout(target.timeout, () => {
      request.destroy(
        new UpstreamFailure('timeout', `Lacework did not answer within ${target.timeout} ms.`),
      );
    });
    request.once('response', (res) => {
      settled = true;
      resolve(res);
    });
    // A 101 to a request that asked for no upgrade: the connection no longer speaks HTTP.
    request.once('upgrade', (_res, socket) => {
      socket.destroy();
      if (settled) return;
      settled = true;
      reject(
        new UpstreamFailure(
          'network',
          'Lacework switched protocols, which the proxy never asks for.',
        ),
      );
    });
    // Closed without an answer and without an error: still a failure, never a hang.
    request.once('close', () => {
      if (settled) return;
      settled = true;
      reject(
        new UpstreamFailure('network', 'The connection to Lacework closed without an answer.'),
      );
    });
    request.on('error', (error) => {
      // Errors after the response started are handled by whoever streams the response.
      if (settled) return;
      settled = true;
      reject(
        error instanceof UpstreamFailure
          ? error
          : new UpstreamFailure(
              'network',
              `The connection to Lacework failed (${(error as NodeJS.ErrnoException).code ?? error.message}).`,
              { cause: error },
            ),
      );
    });
  });
  return { request, response };
}
