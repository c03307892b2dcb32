/**
 * Turns a fault into what the client sees on the wire. Hangs and drops act on the real HTTP
 * connection, so they use real time (a client's timeout is real time too); in-process requests
 * (app.request) have no connection to drop and get a 502 instead.
 */
import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import { DEFAULT_HANG_MS, FaultKind, type Fault } from './fault-injector.ts';

export type FaultOutcome = { respond: Response } | { proceed: true };

/** Timers of hanging requests, cleared when the emulator closes so nothing keeps the process alive. */
export class HangTimers {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly waiters = new Set<() => void>();

  wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.timers.delete(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.timers.add(timer);
      this.waiters.add(done);
    });
  }

  /** Ends every hang at once (on close). */
  releaseAll(): void {
    for (const done of [...this.waiters]) done();
  }
}

function errorPage(status: number): string {
  return `<!DOCTYPE html><html><head><title>${status} Error</title></head><body><h1>Slack is having trouble (${status})</h1><p>Emulated server error.</p></body></html>`;
}

function incomingOf(c: Context): IncomingMessage | undefined {
  const env = c.env as { incoming?: IncomingMessage } | undefined;
  return env?.incoming;
}

export interface SlackErrorRenderer {
  (c: Context, fault: Fault): Response;
}

/**
 * Applies a fault. `renderSlackError` differs between the Web API (HTTP 200 JSON) and webhooks
 * (plain text with a status).
 */
export async function applyFault(c: Context, fault: Fault, hangs: HangTimers, renderSlackError: SlackErrorRenderer): Promise<FaultOutcome> {
  switch (fault.kind) {
    case FaultKind.httpError: {
      const status = fault.status ?? 500;
      const body = fault.body ?? errorPage(status);
      return { respond: new Response(body, { status, headers: { 'content-type': fault.body ? 'text/plain; charset=utf-8' : 'text/html; charset=utf-8' } }) };
    }
    case FaultKind.slackError:
      return { respond: renderSlackError(c, fault) };
    case FaultKind.hang:
      await hangs.wait(fault.hang_ms ?? DEFAULT_HANG_MS);
      return { proceed: true };
    case FaultKind.drop: {
      const incoming = incomingOf(c);
      if (incoming) {
        incoming.socket.destroy();
        // Nothing reaches the client; this answer only ends Hono's handling.
        return { respond: new Response(null, { status: 499 }) };
      }
      return { respond: new Response('connection dropped (emulated)', { status: 502 }) };
    }
  }
}
