/**
 * The delivery worker: claims due deliveries (claim-deliveries.ts), sends each through its
 * transport, and records what happened (record-outcome.ts). It sleeps until told there is new
 * work (DeliverySignal) or until the next delivery becomes due; it never polls in a tight loop.
 * Housekeeping on a slow timer: heartbeat, releasing sends of workers that died, expiring
 * messages past their time to live, and trimming the audit log.
 */
import { hostname } from 'node:os';
import { systemClock, type Clock } from '../clock.ts';
import type { DeliveryConfig } from '../config.ts';
import { tokenFailureOutcome } from '../connections/get-fresh-bot-token.ts';
import type { Database } from '../db/database.ts';
import { randomBase32 } from '../ids.ts';
import type { Logger } from '../logging/create-logger.ts';
import type { GatewayMetrics } from '../metrics/gateway-metrics.ts';
import type { Keyring } from '../secrets/keyring.ts';
import type { SendTarget, SlackTransport } from '../slack/slack-transport.ts';
import { claimDeliveries, expireDeliveries, nextClaimAt, type ClaimedDelivery } from './claim-deliveries.ts';
import type { DeliverySignal } from './delivery-signal.ts';
import { outageKey } from './outages.ts';
import { pacingRules } from './pacing.ts';
import { isPlainSent, recordOutcome } from './record-outcome.ts';
import { SentRecorder } from './sent-recorder.ts';
import { sendDelivery, type DeliveryReport } from './send-delivery.ts';
import { purgeOldRecords } from './purge-old-records.ts';

export interface DeliveryWorkerDeps {
  db: Database;
  keyring: Keyring;
  logger: Logger;
  config: DeliveryConfig;
  signal: DeliverySignal;
  transports: { webhook: SlackTransport; webApi: SlackTransport };
  /**
   * Multiplies the retry schedule (retry-schedule.ts). Always 1 in production; tests pass a small
   * factor (e.g. 0.01: 5 s → 50 ms) so retry and dead-letter stories run in seconds.
   */
  retryDelayScale?: number;
  /**
   * Renews a rotating bot token that is due (main.ts wires src/connections/get-fresh-bot-token.ts in
   * here); called only when the claimed connection's token_refresh_due_at has passed.
   */
  botToken?: (connectionId: string, sealedToken: string) => Promise<string>;
  /** Tells when a rotating token is due (the clock botToken renews by); the system clock by default. */
  clock?: Clock;
  /** Counts each settled outcome for GET /metrics (src/metrics/). */
  metrics?: Pick<GatewayMetrics, 'deliverySettled'>;
}

/** Heartbeat and housekeeping, at most this far apart (and at least three beats per stale period). */
const HOUSEKEEPING_MS = 2_000;
/** Recording an outcome that failed (database unreachable) is tried again this many times. */
const RECORD_RETRIES_MS = [100, 500, 2_000, 5_000, 10_000, 20_000] as const;
const MAX_IDLE_WAIT_MS = 5_000;
const MIN_RECHECK_MS = 25;
const EXPIRY_SWEEP_MS = 250;
const CLAIM_GATHER_MS = 4;

export class DeliveryWorker {
  readonly id = `${hostname()}:${process.pid}:${randomBase32(6)}`;
  #running = false;
  #lastExpirySweep = 0;
  #inFlight = new Map<string, Promise<void>>();
  #wake?: () => void;
  #wakeRequested = false;
  #loop?: Promise<void>;
  #housekeeping?: NodeJS.Timeout;
  #stopSignal?: () => void;
  #lastPurge = 0;
  #housekeepingNow = false;
  readonly #sentRecorder: SentRecorder;

  constructor(private readonly deps: DeliveryWorkerDeps) {
    this.#sentRecorder = new SentRecorder(deps.db, this.id);
  }

  get inFlight(): number {
    return this.#inFlight.size;
  }

  async start(): Promise<void> {
    const { db } = this.deps;
    await db.query('INSERT INTO workers (id, hostname, pid) VALUES ($1, $2, $3)', [this.id, hostname(), process.pid]);
    this.#running = true;
    this.#stopSignal = this.deps.signal.onReady(() => this.wake());
    await this.#housekeep();
    // A worker is presumed dead after workerStaleSeconds without a heartbeat: beat well within it.
    const beatMs = Math.min(HOUSEKEEPING_MS, (this.deps.config.workerStaleSeconds * 1000) / 3);
    this.#housekeeping = setInterval(() => void this.#housekeep(), beatMs);
    this.#loop = this.#run();
  }

  wake(): void {
    this.#wakeRequested = true;
    this.#wake?.();
  }

  /** Stops claiming; waits for sends in flight (up to graceMs), then releases any left. */
  async stop(graceMs = 8_000): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    this.#stopSignal?.();
    clearInterval(this.#housekeeping);
    this.wake();
    await this.#loop;
    const drained = Promise.allSettled([...this.#inFlight.values()]);
    await Promise.race([drained, new Promise((r) => setTimeout(r, graceMs).unref())]);
    await this.deps.db
      .query(
        `UPDATE deliveries SET status = 'pending', locked_by = NULL, locked_at = NULL, attempts = attempts - 1, updated_at = now()
         WHERE status = 'sending' AND locked_by = $1`,
        [this.id],
      )
      .catch(() => {});
    await this.deps.db.query('DELETE FROM workers WHERE id = $1', [this.id]).catch(() => {});
  }

  async #run(): Promise<void> {
    const pacing = pacingRules(this.deps.config);
    while (this.#running) {
      // Woken by a send finishing while others are still in flight: let a few more finish first,
      // so one claim round serves several destinations instead of one each (an idle worker,
      // with nothing in flight, claims at once).
      if (this.#inFlight.size > 0) await new Promise((resolve) => setTimeout(resolve, CLAIM_GATHER_MS));
      this.#wakeRequested = false;
      let claimed: ClaimedDelivery[] = [];
      const free = this.deps.config.concurrency - this.#inFlight.size;
      const limit = Math.min(free, 100);
      // Expired messages are never claimed (the claim re-checks expiry); marking them expired so
      // their line moves on needs doing often, not before every claim of a busy worker.
      const sweep = Date.now() - this.#lastExpirySweep >= EXPIRY_SWEEP_MS;
      if (sweep) this.#lastExpirySweep = Date.now();
      try {
        claimed = await claimDeliveries(this.deps.db, this.id, limit, pacing, { expireFirst: sweep });
      } catch (error) {
        this.deps.logger.error({ err: error }, 'claiming deliveries failed; retrying shortly');
      }
      for (const delivery of claimed) {
        const p = this.#deliver(delivery).finally(() => {
          this.#inFlight.delete(delivery.id);
          this.wake();
        });
        this.#inFlight.set(delivery.id, p);
      }
      if (!this.#running) break;
      // A full batch means more may be due at once; otherwise every destination that had work is
      // in flight, and the next chance comes with a send finishing (wake) or a timer.
      if (limit > 0 && claimed.length >= limit && this.#inFlight.size < this.deps.config.concurrency) continue;
      if (this.#wakeRequested) continue;
      await this.#sleep(pacing);
    }
  }

  async #sleep(pacing: ReturnType<typeof pacingRules>): Promise<void> {
    let waitMs = MAX_IDLE_WAIT_MS;
    if (this.#inFlight.size < this.deps.config.concurrency) {
      const at = await nextClaimAt(this.deps.db, pacing).catch(() => undefined);
      if (at !== undefined) waitMs = Math.min(MAX_IDLE_WAIT_MS, Math.max(MIN_RECHECK_MS, at - Date.now()));
    }
    if (this.#wakeRequested || !this.#running) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, waitMs);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
    });
    this.#wake = undefined;
  }

  async #deliver(delivery: ClaimedDelivery): Promise<void> {
    const startedAt = new Date();
    const report = await this.#send(delivery);
    const policy = {
      windowMs: this.deps.config.retryWindowHours * 3600_000,
      delayScale: this.deps.retryDelayScale ?? 1,
      destinationIntervalMs: 1000 / this.deps.config.perDestinationPerSecond,
    };
    for (let i = 0; ; i++) {
      try {
        // Posted messages are recorded in groups across sends (sent-recorder.ts); the rest one by one.
        const settled = isPlainSent(report)
          ? await this.#sentRecorder.record({ delivery, report, startedAt, destinationIntervalMs: policy.destinationIntervalMs })
          : await recordOutcome(this.deps.db, this.id, delivery, report, startedAt, policy);
        this.deps.metrics?.deliverySettled(settled);
        if (settled !== 'sent') {
          this.deps.logger.warn({ delivery_id: delivery.id, destination_id: delivery.destinationId, outcome: report.outcome, settled }, 'delivery not sent');
        }
        return;
      } catch (error) {
        // Until the outcome is recorded the delivery stays 'sending' and its line waits; this
        // worker still beats, so nobody else releases it. Keep trying while running; after that
        // stop() releases it (and a send that did go through may be sent again: at least once).
        this.deps.logger.error({ err: error, delivery_id: delivery.id, try: i + 1 }, 'could not record a delivery outcome');
        if (!this.#running || i >= RECORD_RETRIES_MS.length) return;
        await new Promise((resolve) => setTimeout(resolve, RECORD_RETRIES_MS[i]).unref());
      }
    }
  }

  async #send(delivery: ClaimedDelivery): Promise<DeliveryReport> {
    let target: SendTarget;
    try {
      target = await this.#target(delivery);
    } catch (error) {
      return { outcome: tokenFailureOutcome(error), request: {}, latencyMs: 0 };
    }
    const transport = target.kind === 'webhook' ? this.deps.transports.webhook : this.deps.transports.webApi;
    try {
      return await sendDelivery(this.deps.db, transport, target, delivery);
    } catch (error) {
      return { outcome: { kind: 'retry', error: `internal: ${(error as Error).message}`, unknown: true }, request: {}, latencyMs: 0 };
    }
  }

  async #target(d: ClaimedDelivery): Promise<SendTarget> {
    const { keyring } = this.deps;
    if (d.kind === 'webhook') {
      const url = keyring.decrypt(d.webhookUrlSealed!);
      d.outageKey ??= outageKey('webhook', null, url); // a URL naming no workspace: its host
      return { kind: 'webhook', url };
    }
    if (!d.botTokenSealed || !d.connectionId) throw Object.assign(new Error('the connection has no bot token'), { code: 'not_authed' });
    // The claim read the token already; only a rotating token due for renewal needs the slower path.
    const renew = this.deps.botToken && d.tokenRefreshDueMs !== null && d.tokenRefreshDueMs <= (this.deps.clock ?? systemClock).now();
    const token = renew ? await this.deps.botToken!(d.connectionId, d.botTokenSealed) : keyring.decrypt(d.botTokenSealed);
    if (d.kind === 'channel') return { kind: 'channel', token, channel: d.channelId!, scopes: d.scopes };
    return { kind: 'dm', token, userId: d.userId ?? undefined, userEmail: d.userEmail ?? undefined, scopes: d.scopes };
  }

  async #housekeep(): Promise<void> {
    if (this.#housekeepingNow) return; // a slow database: never pile up overlapping rounds
    this.#housekeepingNow = true;
    try {
      await this.#housekeepOnce();
    } finally {
      this.#housekeepingNow = false;
    }
  }

  async #housekeepOnce(): Promise<void> {
    const { db, config, logger } = this.deps;
    try {
      // An upsert: if a long pause got this worker's row cleaned up, the beat brings it back.
      await db.query(
        `INSERT INTO workers (id, hostname, pid) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET heartbeat_at = now()`,
        [this.id, hostname(), process.pid],
      );
      const released = await db.query(
        `UPDATE deliveries SET status = 'pending', locked_by = NULL, locked_at = NULL, updated_at = now()
         WHERE status = 'sending' AND locked_by IS DISTINCT FROM $1
           AND locked_by NOT IN (SELECT id FROM workers WHERE heartbeat_at > now() - $2 * interval '1 second')`,
        [this.id, config.workerStaleSeconds],
      );
      if (released.rowCount) {
        logger.warn({ released: released.rowCount }, 'released deliveries claimed by a worker that stopped; they will be sent again (at least once)');
        this.wake();
      }
      // Our own claims whose outcome could not be recorded (the database was away longer than
      // #deliver kept trying): no send of ours is running for them any more, so they go back in
      // line. The age guard keeps a claim committed a moment ago, not yet in #inFlight, safe.
      const orphaned = await db.query(
        `UPDATE deliveries SET status = 'pending', locked_by = NULL, locked_at = NULL, updated_at = now()
         WHERE status = 'sending' AND locked_by = $1 AND NOT (id = ANY($2::text[]))
           AND locked_at < now() - $3 * interval '1 millisecond'`,
        [this.id, [...this.#inFlight.keys()], 2 * config.sendTimeoutMs + 5_000],
      );
      if (orphaned.rowCount) this.wake();
      await db.query(`DELETE FROM workers WHERE heartbeat_at < now() - $1 * interval '1 second'`, [config.workerStaleSeconds * 10]);
      if (await expireDeliveries(db)) this.wake();
      if (Date.now() - this.#lastPurge > 3600_000) {
        this.#lastPurge = Date.now();
        await purgeOldRecords(db, config.retentionDays);
      }
    } catch (error) {
      logger.error({ err: error }, 'delivery housekeeping failed');
    }
  }
}
