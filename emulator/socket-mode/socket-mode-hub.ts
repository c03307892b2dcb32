/**
 * Socket Mode's WebSocket side [D-SM]. apps.connections.open hands out a single-use ticket URL
 * (ws://<emulator>/link/?ticket=…, like Slack's wss://wss.slack.com/link/?ticket=…); on connect the
 * hub sends `hello` first ("Clients treat hello as connected" [NODE SocketModeClient.ts]), pings every
 * few seconds (the Node client gives up after 30 s without a server ping), delivers envelopes to
 * one connection of the app and resolves each when the app acks it with its envelope_id. Up to 10
 * connections per app; an 11th is told `disconnect` / too_many_websockets.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { Clock } from '../../src/clock.ts';
import { randomAlphanumeric } from '../state/id-source.ts';

export const MAX_CONNECTIONS_PER_APP = 10;
export const TICKET_LIFETIME_MS = 5 * 60 * 1000;
export const SERVER_PING_INTERVAL_MS = 10_000;
export const LINK_PATH = '/link/';

export const EnvelopeType = { eventsApi: 'events_api', slashCommands: 'slash_commands', interactive: 'interactive' } as const;
export type EnvelopeType = (typeof EnvelopeType)[keyof typeof EnvelopeType];

export interface EnvelopeInput {
  type: EnvelopeType;
  payload: unknown;
  accepts_response_payload?: boolean;
  retry_attempt?: number;
  retry_reason?: string;
}

export interface EnvelopeAck {
  envelope_id: string;
  payload?: unknown;
}

export type DeliveryResult = { ok: true; envelope_id: string; ack: EnvelopeAck } | { ok: false; envelope_id?: string; error: 'no_connection' | 'ack_timeout' };

interface Ticket {
  appId: string;
  issuedAt: number;
}

interface PendingAck {
  resolve(result: DeliveryResult): void;
  timer: NodeJS.Timeout;
}

export class SocketModeHub {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly tickets = new Map<string, Ticket>();
  private readonly connections = new Map<string, WebSocket[]>();
  private readonly pending = new Map<string, PendingAck>();
  private readonly pingTimers = new Set<NodeJS.Timeout>();
  private roundRobin = 0;

  constructor(private readonly clock: Clock) {}

  /** The URL apps.connections.open answers, for an app, on the host the caller used. */
  openUrl(origin: string, appId: string): string {
    const ticket = randomAlphanumeric(32);
    this.tickets.set(ticket, { appId, issuedAt: this.clock.now() });
    const wsOrigin = origin.replace(/^http/, 'ws');
    return `${wsOrigin}${LINK_PATH}?ticket=${ticket}&app_id=${appId}`;
  }

  connectionCount(appId: string): number {
    return this.connections.get(appId)?.length ?? 0;
  }

  /** Handles an HTTP upgrade; answers false when the request is not for the Socket Mode path. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(request.url ?? '/', 'http://emulator');
    if (url.pathname !== LINK_PATH && url.pathname !== LINK_PATH.slice(0, -1)) return false;
    const ticketValue = url.searchParams.get('ticket') ?? '';
    const ticket = this.tickets.get(ticketValue);
    this.tickets.delete(ticketValue);
    if (!ticket || this.clock.now() - ticket.issuedAt > TICKET_LIFETIME_MS) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return true;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws, ticket.appId));
    return true;
  }

  private accept(ws: WebSocket, appId: string): void {
    const list = this.connections.get(appId) ?? [];
    if (list.length >= MAX_CONNECTIONS_PER_APP) {
      ws.send(JSON.stringify({ type: 'disconnect', reason: 'too_many_websockets', num_connections: list.length, debug_info: { host: 'applink-emulator' } }));
      ws.close(1000);
      return;
    }
    list.push(ws);
    this.connections.set(appId, list);
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: list.length,
        debug_info: { host: 'applink-emulator', build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: appId },
      }),
    );
    const ping = setInterval(() => {
      if (ws.readyState === WebSocket.OPEN) ws.ping();
    }, SERVER_PING_INTERVAL_MS);
    ping.unref();
    this.pingTimers.add(ping);
    ws.on('message', (data, isBinary) => {
      if (!isBinary) this.onMessage(data.toString());
    });
    ws.on('close', () => {
      clearInterval(ping);
      this.pingTimers.delete(ping);
      const current = this.connections.get(appId) ?? [];
      this.connections.set(
        appId,
        current.filter((c) => c !== ws),
      );
    });
    ws.on('error', () => ws.terminate());
  }

  private onMessage(text: string): void {
    let ack: EnvelopeAck;
    try {
      ack = JSON.parse(text) as EnvelopeAck;
    } catch {
      return;
    }
    const pending = ack && typeof ack.envelope_id === 'string' ? this.pending.get(ack.envelope_id) : undefined;
    if (!pending) return;
    clearTimeout(pending.timer);
    this.pending.delete(ack.envelope_id);
    pending.resolve({ ok: true, envelope_id: ack.envelope_id, ack });
  }

  /**
   * Sends an envelope to one of the app's connections and waits for its ack ("Your app still needs
   * to acknowledge receiving each event" [D-SM]). Resolves with the ack, or an error after timeoutMs.
   */
  deliver(appId: string, input: EnvelopeInput, timeoutMs = 3_000): Promise<DeliveryResult> {
    const open = (this.connections.get(appId) ?? []).filter((c) => c.readyState === WebSocket.OPEN);
    if (open.length === 0) return Promise.resolve({ ok: false, error: 'no_connection' });
    const target = open[this.roundRobin++ % open.length];
    const envelopeId = randomUUID();
    const envelope: Record<string, unknown> = {
      envelope_id: envelopeId,
      payload: input.payload,
      type: input.type,
      accepts_response_payload: input.accepts_response_payload ?? false,
    };
    if (input.type === EnvelopeType.eventsApi) {
      envelope.retry_attempt = input.retry_attempt ?? 0;
      envelope.retry_reason = input.retry_reason ?? '';
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(envelopeId);
        resolve({ ok: false, envelope_id: envelopeId, error: 'ack_timeout' });
      }, timeoutMs);
      timer.unref();
      this.pending.set(envelopeId, { resolve, timer });
      target.send(JSON.stringify(envelope));
    });
  }

  /** Tells every connection of an app to go away, e.g. "refresh_requested", "warning", "link_disabled" [D-SM]. */
  disconnect(appId: string, reason: string): number {
    const list = this.connections.get(appId) ?? [];
    for (const ws of list) ws.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'applink-emulator' } }));
    return list.length;
  }

  close(): void {
    for (const timer of this.pingTimers) clearInterval(timer);
    this.pingTimers.clear();
    for (const [, p] of this.pending) {
      clearTimeout(p.timer);
      p.resolve({ ok: false, error: 'no_connection' });
    }
    this.pending.clear();
    for (const list of this.connections.values()) for (const ws of list) ws.terminate();
    this.connections.clear();
    this.tickets.clear();
    this.wss.close();
  }
}
