/**
 * The gateway's HTTP server: Hono's Node adapter with limits instead of Node's defaults (a request
 * may take 300 s, headers 60 s checked every 30 s, connections unbounded), so clients that send
 * headers or a body slowly, or stall, are answered 408 and disconnected instead of holding a
 * connection for minutes (config.http; SWITCHBOARD_REQUEST_TIMEOUT_MS and its neighbours).
 */
import { serve, type ServerType } from '@hono/node-server';
import type { HttpServerConfig } from './config.ts';

export function listenHttp(
  fetch: (request: Request) => Response | Promise<Response>,
  options: { host: string; port: number; http: HttpServerConfig },
): Promise<ServerType> {
  const { requestTimeoutMs, headersTimeoutMs, keepAliveTimeoutMs, maxConnections } = options.http;
  return new Promise<ServerType>((resolve, reject) => {
    const server = serve(
      {
        fetch,
        port: options.port,
        hostname: options.host,
        serverOptions: {
          requestTimeout: requestTimeoutMs,
          headersTimeout: headersTimeoutMs,
          keepAliveTimeout: keepAliveTimeoutMs,
          // Node looks for expired requests this often (30 s by default, which would let a stalled
          // client stay up to 30 s past its timeout).
          connectionsCheckingInterval: Math.min(1000, headersTimeoutMs),
        },
      },
      () => {
        server.off('error', reject);
        resolve(server);
      },
    );
    // Further connections are closed as they arrive (Node emits 'drop' for each).
    server.maxConnections = maxConnections;
    // A port in use or not allowed: fail start-up with the error instead of an uncaught exception.
    server.once('error', reject);
  });
}
