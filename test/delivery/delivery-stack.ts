/**
 * The stack every delivery suite runs on: a local Slack emulator, a test gateway whose delivery
 * worker sends through the real transports to it, a project with a numbered event type, and a
 * connection made from the emulator's bot token. Each destination is a "line": it takes the
 * events whose data.line is its name, and every message reads "<line> #<n>", so what landed in a
 * channel can be read back as the exact sequence of numbers sent.
 */
import { expect } from 'vitest';
import { loadConfig, type DeliveryConfig } from '../../src/config.ts';
import type { DatabaseKind } from '../../src/db/database.ts';
import { startEmulator, type StartEmulatorOptions, type StartedEmulator } from '../helpers/emulator.ts';
import { createTestGateway, type TestGateway, type TestGatewayOptions } from '../helpers/gateway.ts';

export const EVENT_TYPE = 'test.numbered';

export interface DeliveryRow {
  id: string;
  n: number;
  status: string;
  attempts: number;
  last_error: string | null;
  outcome_hint: string | null;
}

export interface StackOptions {
  /** Delivery settings over fast test defaults (pace 50/s per destination, 2 s send timeout). */
  delivery?: Partial<DeliveryConfig>;
  emulator?: StartEmulatorOptions;
  gateway?: TestGatewayOptions['delivery'];
}

export interface DeliveryStack {
  slack: StartedEmulator;
  gw: TestGateway;
  project: { id: string; key: string };
  teamId: string;
  connectionId: string;
  /** A call to the API with the project's key. */
  api(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** A channel destination posting with the project's connection (or another one). */
  channelLine(line: string, channelId: string, connectionId?: string): Promise<string>;
  webhookLine(line: string, webhookUrl: string): Promise<string>;
  /** Accepts events n = from..to for one line, in order, in batches. */
  send(line: string, from: number, to?: number, extra?: Record<string, unknown>): Promise<void>;
  /** The numbers of this line's messages in a channel, in the order Slack shows them. */
  posted(channelId: string, line: string, teamId?: string): Promise<number[]>;
  deliveries(destinationId: string): Promise<DeliveryRow[]>;
  destination(destinationId: string): Promise<{ status: string; status_reason: string | null; status_hint: string | null }>;
  attempts(destinationId: string): Promise<{ outcome: string; error: string | null; http_status: number | null; n: number }[]>;
  close(): Promise<void>;
}

/** Polls until check() passes (its expect() calls stop throwing); fails with the last error. */
export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 15_000, everyMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  }
}

export async function startDeliveryStack(kind: DatabaseKind, options: StackOptions = {}): Promise<DeliveryStack> {
  const slack = await startEmulator({ rateLimits: { enabled: false }, ...options.emulator });
  const gw = await createTestGateway(
    kind,
    {
      slackApiUrl: slack.apiUrl,
      allowedWebhookOrigins: [slack.url],
      delivery: {
        ...loadConfig({}).delivery,
        concurrency: 20,
        perDestinationPerSecond: 50,
        perDestinationBurst: 5,
        perWorkspacePerMinute: 60_000,
        perWorkspaceBurst: 100,
        sendTimeoutMs: 2_000,
        workerStaleSeconds: 3,
        ...options.delivery,
      },
    },
    { delivery: { retryDelayScale: 0.01, ...options.gateway } },
  );
  const project = await gw.createProject('Delivery');
  const call = (method: string, path: string, body?: unknown) => gw.call(method, path, { key: project.key, body });

  const type = await call('PUT', `/v1/event-types/${EVENT_TYPE}`, {
    description: 'A numbered message for one line',
    template: { text: '{{ data.line }} #{{ data.n }}' },
  });
  expect(type.status, JSON.stringify(type.body)).toBe(200);
  const connection = await call('POST', '/v1/connections', { bot_token: slack.defaultWorkspace.botToken });
  expect(connection.status, JSON.stringify(connection.body)).toBe(201);

  async function destination(line: string, body: Record<string, unknown>): Promise<string> {
    const res = await call('POST', '/v1/destinations', { name: line, subscriptions: [EVENT_TYPE], condition: `data.line == "${line}"`, ...body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id;
  }

  return {
    slack,
    gw,
    project,
    teamId: slack.defaultWorkspace.teamId,
    connectionId: connection.body.id,
    api: call,
    channelLine: (line, channelId, connectionId = connection.body.id) =>
      destination(line, { kind: 'channel', connection_id: connectionId, channel_id: channelId }),
    webhookLine: (line, webhookUrl) => destination(line, { kind: 'webhook', webhook_url: webhookUrl }),
    async send(line, from, to = from, extra = {}) {
      for (let start = from; start <= to; start += 100) {
        const events = [];
        for (let n = start; n <= Math.min(to, start + 99); n++) events.push({ type: EVENT_TYPE, data: { line, n }, ...extra });
        const res = await call('POST', '/v1/events/batch', { events });
        expect(res.status, JSON.stringify(res.body)).toBe(202);
        expect(res.body.results.every((r: { status: string }) => r.status === 'accepted'), JSON.stringify(res.body)).toBe(true);
      }
    },
    async posted(channelId, line, teamId = slack.defaultWorkspace.teamId) {
      const { messages } = await slack.control.messages(teamId, channelId);
      const numbers: number[] = [];
      for (const m of messages) {
        const match = /^(\S+) #(\d+)$/.exec(m.text ?? '');
        if (match && match[1] === line) numbers.push(Number(match[2]));
      }
      return numbers;
    },
    async deliveries(destinationId) {
      const { rows } = await gw.ctx.db.query<DeliveryRow>(
        `SELECT d.id, (e.data->>'n')::int AS n, d.status, d.attempts, d.last_error, d.outcome_hint
         FROM deliveries d JOIN events e ON e.id = d.event_id WHERE d.destination_id = $1 ORDER BY d.seq`,
        [destinationId],
      );
      return rows;
    },
    async destination(destinationId) {
      const { rows } = await gw.ctx.db.query<{ status: string; status_reason: string | null; status_hint: string | null }>(
        'SELECT status, status_reason, status_hint FROM destinations WHERE id = $1',
        [destinationId],
      );
      return rows[0];
    },
    async attempts(destinationId) {
      const { rows } = await gw.ctx.db.query<{ outcome: string; error: string | null; http_status: number | null; n: number }>(
        `SELECT a.outcome, a.error, a.http_status, (e.data->>'n')::int AS n
         FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id JOIN events e ON e.id = d.event_id
         WHERE a.destination_id = $1 ORDER BY a.started_at, a.attempt`,
        [destinationId],
      );
      return rows;
    },
    async close() {
      await gw.close();
      await slack.close();
    },
  };
}

/**
 * A channel's numbers split into the first time each was seen and the repeats. A repeat is what
 * "at least once" looks like: a send that timed out but reached Slack, then sent again.
 */
export function splitRepeats(numbers: readonly number[]): { firsts: number[]; repeats: number[] } {
  const seen = new Set<number>();
  const firsts: number[] = [];
  const repeats: number[] = [];
  for (const n of numbers) {
    if (seen.has(n)) repeats.push(n);
    else {
      seen.add(n);
      firsts.push(n);
    }
  }
  return { firsts, repeats };
}

export const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);
