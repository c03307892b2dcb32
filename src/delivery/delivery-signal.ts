/**
 * "There is new work": raised by ingest after it commits deliveries, heard by delivery workers.
 * In one process it is a direct call; across processes on PostgreSQL it is NOTIFY
 * deliveries_ready, sent after the commit as its own tiny statement (a NOTIFY inside the ingest
 * transaction would make PostgreSQL serialise every ingest commit), and coalesced so a burst of
 * writes sends one notification at a time. Both engines also LISTEN: triggers in
 * sql/003_delivery.sql notify when a destination becomes active again or a finished delivery is
 * put back in line, whichever code path (API, CLI, another process) made the change. Our own
 * NOTIFY carries this process's mark, so its echo does not wake our workers a second time.
 */
import type { Database } from '../db/database.ts';
import { randomBase32 } from '../ids.ts';

const CHANNEL = 'deliveries_ready';

export class DeliverySignal {
  /** Marks this process's own notifications, which come back to it through LISTEN. */
  readonly #origin = randomBase32(10);
  #listeners = new Set<() => void>();
  #notifying = false;
  #again = false;
  #unlisten?: () => Promise<void>;

  constructor(private readonly db: Database) {}

  async start(): Promise<void> {
    // Our own NOTIFY comes back here too; this process's workers were already woken directly, and
    // waking them again costs a claim round per ingest write for nothing.
    // Wake-ups missed while the listening connection was down: look for due work once it is back.
    this.#unlisten = await this.db.listen(
      CHANNEL,
      (payload) => {
        if (payload !== this.#origin) this.#emit();
      },
      { onResync: () => this.#emit() },
    );
  }

  async stop(): Promise<void> {
    await this.#unlisten?.();
  }

  onReady(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Called after deliveries were committed. */
  ready(): void {
    this.#emit();
    if (this.db.kind === 'postgres') void this.#notify();
  }

  #emit(): void {
    for (const listener of this.#listeners) listener();
  }

  async #notify(): Promise<void> {
    if (this.#notifying) {
      this.#again = true;
      return;
    }
    this.#notifying = true;
    try {
      do {
        this.#again = false;
        await this.db.query(`SELECT pg_notify('${CHANNEL}', $1)`, [this.#origin], { prepare: 'notify_deliveries_ready' }).catch(() => {});
      } while (this.#again);
    } finally {
      this.#notifying = false;
    }
  }
}
