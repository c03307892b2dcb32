/**
 * Sets Switchboard up for the delivery benchmark through its public HTTP API, the way a host app
 * would: a project, the `bench.message` event type (text `bench n=<n>`, the same text the
 * WebClient baseline posts), a Slack connection from a bot token, and one channel destination per
 * channel, each with a condition `data.ch == <i>` so event i goes to channel i % channels.
 */
import { MESSAGE_PREFIX } from './webclient-loop.ts';

export const BENCH_EVENT_TYPE = 'bench.message';

export interface BenchEvent {
  type: string;
  data: { ch: number; n: number };
}

/** Event n for a bench with `channels` destinations: the same channel as the baseline's message n. */
export function benchEvent(n: number, channels: number): BenchEvent {
  return { type: BENCH_EVENT_TYPE, data: { ch: n % channels, n } };
}

export class SwitchboardClient {
  #projectKey?: string;

  constructor(
    readonly url: string,
    private readonly adminKey: string,
  ) {}

  async #call(method: string, path: string, body: unknown, key: string, expected: number): Promise<any> {
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status !== expected) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
    return text ? JSON.parse(text) : null;
  }

  get projectKey(): string {
    if (!this.#projectKey) throw new Error('call setUp first');
    return this.#projectKey;
  }

  /** Project, event type, connection and one destination per channel; returns the destination ids. */
  async setUp(botToken: string, channelIds: string[]): Promise<string[]> {
    const project = await this.#call('POST', '/v1/projects', { name: 'delivery bench' }, this.adminKey, 201);
    this.#projectKey = project.api_key.key as string;
    const key = this.projectKey;
    const template = { text: `${MESSAGE_PREFIX}{{ data.n }}` };
    await this.#call('PUT', `/v1/event-types/${BENCH_EVENT_TYPE}`, { description: 'delivery benchmark', template, ttl_seconds: null }, key, 200);
    const connection = await this.#call('POST', '/v1/connections', { bot_token: botToken }, key, 201);
    const ids: string[] = [];
    for (const [i, channelId] of channelIds.entries()) {
      const destination = await this.#call(
        'POST',
        '/v1/destinations',
        { name: `bench ${i}`, kind: 'channel', connection_id: connection.id, channel_id: channelId, subscriptions: [BENCH_EVENT_TYPE], condition: `data.ch == ${i}` },
        key,
        201,
      );
      ids.push(destination.id as string);
    }
    return ids;
  }

  /** Sends events in batches of up to 500 (the API's limit), one batch after another so order is kept. */
  async sendBatches(events: BenchEvent[]): Promise<void> {
    for (let i = 0; i < events.length; i += 500) {
      const result = await this.#call('POST', '/v1/events/batch', { events: events.slice(i, i + 500) }, this.projectKey, 202);
      if (result.rejected) throw new Error(`the batch at ${i} had ${result.rejected} rejected events: ${JSON.stringify(result.results.find((r: { status: string }) => r.status === 'rejected'))}`);
    }
  }

  /** POST /v1/events; resolves when the 202 has been read. */
  async sendEvent(event: BenchEvent): Promise<void> {
    await this.#call('POST', '/v1/events', event, this.projectKey, 202);
  }
}
