/**
 * The gateway's HTTP server: Hono's Node adapter with limits instead of Node's defaults (a request
 * may take 300 s, headers 60 s checked every 30 s, connections unbounded), so clients that send
 * headers or a body slowly, or stall, are answered 408 and disconnected instead of holding a
 * connection for minutes (config.http; SWITCHBOARD_REQUEST_TIMEOUT_MS and its neighbours).
 */
import { serve, type ServerType } from '@hono/node-server';
import type { HttpServerConfig } from './config.ts';
import { SwitchboardError } from './errors.ts';

/** The settings that change where a server listens, named in the one line a listen failure prints. */
export interface ListenSettings {
  port: string;
  host: string;
}

const GATEWAY_SETTINGS: ListenSettings = { port: 'SWITCHBOARD_PORT / --port', host: 'SWITCHBOARD_HOST / --host' };

/**
 * A failure to listen as one line saying what to do (a port in use, a privileged port, an address
 * this machine does not have); any other error unchanged.
 */
export function describeListenFailure(error: unknown, where: { host: string; port: number }, settings: ListenSettings = GATEWAY_SETTINGS): unknown {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'EADDRINUSE') return new SwitchboardError('port_in_use', `port ${where.port} is in use on ${where.host}: stop what uses it or set ${settings.port}`);
  if (code === 'EACCES') return new SwitchboardError('port_not_allowed', `port ${where.port} on ${where.host} is not allowed for this user: choose another (above 1023) with ${settings.port}`);
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new SwitchboardError('host_unavailable', `cannot listen on ${where.host}: it is not an address of this machine: set ${settings.host}`);
  }
  return error;
}

export function listenHttp(
  fetch: (request: Request) => Response | Promise<Response>,
  options: { host: string; port: number; http: HttpServerConfig },
): Promise<ServerType> {
  const { requestTimeoutMs, headersTimeoutMs, keepAliveTimeoutMs, maxConnections } = options.http;
  return new Promise<ServerType>((resolve, reject) => {
    // A port in use or not allowed: fail start-up with one line instead of an uncaught exception.
    const onError = (error: unknown) => reject(describeListenFailure(error, options));
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
        server.off('error', onError);
        resolve(server);
      },
    );
    // Further connections are closed as they arrive (Node emits 'drop' for each).
    server.maxConnections = maxConnections;
    server.once('error', onError);
  });
}
