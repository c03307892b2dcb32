/**
 * The gateway's Prometheus metrics (GET /metrics; docs/operations.md lists them and what to alert
 * on). One registry per gateway, built in src/main.ts and shared through AppContext. Counters are
 * counted where things happen (ingest routes, the delivery worker, the Slack transports, the HTTP
 * error handler, the PostgreSQL pool); the queue's gauges are read from the database when scraped
 * (queue-snapshot.ts). Labels only ever take values from the fixed lists here: never a project,
 * destination, token or URL, so the number of series stays small and nothing secret is exported.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Queryable } from '../db/database.ts';
import type { Settled } from '../delivery/record-outcome.ts';
import { QUEUE_STATUSES, readQueueSnapshot, type QueueSnapshot } from './queue-snapshot.ts';

/** How a delivery attempt ended, as the outcome label says it (a bounded set). */
export const DELIVERY_OUTCOMES = [
  'sent',
  'scheduled',
  'deferred',
  'retry',
  'rate_limited',
  'failed',
  'held',
  'dead',
  'expired',
  'cancelled',
  'lost_claim',
] as const;
export type DeliveryOutcome = (typeof DELIVERY_OUTCOMES)[number];

export type SlackTransportKind = 'web_api' | 'webhook';
/** Web API methods the transports call; anything else is counted as `other`. */
export const SLACK_METHODS = ['chat.postMessage', 'chat.update', 'chat.postEphemeral', 'chat.scheduleMessage', 'incoming_webhook', 'other'] as const;
export type SlackMethod = (typeof SLACK_METHODS)[number];

export type DatabaseErrorSource = 'http' | 'connection';

export interface GatewayMetricsOptions {
  /** Time the scrape gives the database query before answering without it (default 3 s). */
  databaseTimeoutMs?: number;
  /** Node.js process metrics and event-loop lag (default on). */
  processMetrics?: boolean;
}

const OUTCOME_OF_SETTLED: Record<Settled, DeliveryOutcome> = {
  sent: 'sent',
  scheduled: 'scheduled',
  deferred: 'deferred',
  retrying: 'retry',
  rate_limited: 'rate_limited',
  failed: 'failed',
  held: 'held',
  dead: 'dead',
  expired: 'expired',
  lost_claim: 'lost_claim',
};

export class GatewayMetrics {
  readonly registry = new Registry();
  readonly #databaseTimeoutMs: number;
  #snapshot?: Promise<QueueSnapshot>;

  readonly #eventsAccepted = new Counter({
    name: 'switchboard_events_accepted_total',
    help: 'Events accepted (answered 202 and queued; idempotent replays not counted), by how they came: one per call or in a batch',
    labelNames: ['mode'] as const,
    registers: [this.registry],
  });
  readonly #deliveries = new Counter({
    name: 'switchboard_deliveries_total',
    help: 'Delivery attempts settled by this process, and deliveries cancelled through its API, by outcome',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly #slackRateLimited = new Counter({
    name: 'switchboard_slack_rate_limited_total',
    help: 'Calls to Slack answered 429 (rate limited), by transport',
    labelNames: ['transport'] as const,
    registers: [this.registry],
  });
  readonly #slackDuration = new Histogram({
    name: 'switchboard_slack_request_duration_seconds',
    help: 'Time one message took to reach Slack and be answered (including a DM lookup or channel join it needed), by transport and Web API method',
    labelNames: ['transport', 'method'] as const,
    buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly #databaseErrors = new Counter({
    name: 'switchboard_database_errors_total',
    help: 'Database trouble: API requests answered 500 or 503 (source="http"), PostgreSQL connections that failed (source="connection")',
    labelNames: ['source'] as const,
    registers: [this.registry],
  });
  readonly #databaseUp = new Gauge({
    name: 'switchboard_database_up',
    help: '1 if the database answered this scrape\'s query in time, 0 if it failed or timed out (the queue gauges are then absent)',
    registers: [this.registry],
  });
  readonly #queueDepth = new Gauge({
    name: 'switchboard_queue_depth',
    help: 'Deliveries waiting in the queue (all processes), by status: pending (due or waiting for a retry or deliver_at), held (its destination needs attention), sending',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });
  readonly #queueOldest = new Gauge({
    name: 'switchboard_queue_oldest_seconds',
    help: 'How long the longest-waiting due delivery in each status has been due (0 when none is due)',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });
  readonly #destinationsNeedingAttention = new Gauge({
    name: 'switchboard_destinations_needing_attention',
    help: 'Destinations whose messages are held until a person fixes them (status needs_attention)',
    registers: [this.registry],
  });

  /** The gauges read from the database at scrape time: left out of a scrape whose query failed. */
  readonly #fromDatabase = [this.#queueDepth, this.#queueOldest, this.#destinationsNeedingAttention] as unknown as (Gauge<string> & { name: string })[];

  constructor(options: GatewayMetricsOptions = {}) {
    this.#databaseTimeoutMs = options.databaseTimeoutMs ?? 3_000;
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 10 });
    // Every series of a bounded label starts at 0, so rate() and alerts see it before its first event.
    for (const mode of ['single', 'batch']) this.#eventsAccepted.inc({ mode }, 0);
    for (const outcome of DELIVERY_OUTCOMES) this.#deliveries.inc({ outcome }, 0);
    for (const transport of ['web_api', 'webhook']) this.#slackRateLimited.inc({ transport }, 0);
    for (const source of ['http', 'connection']) this.#databaseErrors.inc({ source }, 0);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  eventsAccepted(mode: 'single' | 'batch', count: number): void {
    if (count > 0) this.#eventsAccepted.inc({ mode }, count);
  }

  /** What the delivery worker settled for one attempt (record-outcome.ts, sent-recorder.ts). */
  deliverySettled(settled: Settled): void {
    this.#deliveries.inc({ outcome: OUTCOME_OF_SETTLED[settled] });
  }

  deliveriesCancelled(count: number): void {
    if (count > 0) this.#deliveries.inc({ outcome: 'cancelled' }, count);
  }

  /** One message sent to Slack (instrument-transports.ts). */
  slackCall(transport: SlackTransportKind, method: SlackMethod, seconds: number, rateLimited: boolean): void {
    this.#slackDuration.observe({ transport, method }, seconds);
    if (rateLimited) this.#slackRateLimited.inc({ transport });
  }

  databaseError(source: DatabaseErrorSource): void {
    this.#databaseErrors.inc({ source });
  }

  /**
   * The exposition text. The queue gauges come from one query, given databaseTimeoutMs: a failing
   * or stuck database leaves them out and sets switchboard_database_up to 0, and the rest is still
   * answered. A query still running from an earlier scrape is waited on again, never started twice.
   */
  async scrape(db: Queryable): Promise<string> {
    this.#snapshot ??= readQueueSnapshot(db).finally(() => {
      this.#snapshot = undefined;
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timed out')), this.#databaseTimeoutMs);
      timer.unref();
    });
    try {
      const snapshot = await Promise.race([this.#snapshot, timeout]);
      this.#databaseUp.set(1);
      for (const status of QUEUE_STATUSES) {
        this.#queueDepth.set({ status }, snapshot.queue[status].depth);
        this.#queueOldest.set({ status }, snapshot.queue[status].oldestSeconds);
      }
      this.#destinationsNeedingAttention.set(snapshot.destinationsNeedingAttention);
      for (const gauge of this.#fromDatabase) {
        if (!this.registry.getSingleMetric(gauge.name)) this.registry.registerMetric(gauge);
      }
    } catch {
      // Absent, not 0 or stale: an alert on the queue must not pass or fire on a value nobody read.
      this.#databaseUp.set(0);
      for (const gauge of this.#fromDatabase) this.registry.removeSingleMetric(gauge.name);
    } finally {
      clearTimeout(timer);
    }
    return this.registry.metrics();
  }
}
