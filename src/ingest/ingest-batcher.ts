/**
 * Group commit for ingest (src/db/group-commit.ts). Every accepted event must be committed before
 * its 202, and each write statement has a fixed cost (a round trip, a commit that waits for the
 * disk, PostgreSQL's per-statement work) however few events it carries. So requests that arrive
 * while a write is in flight, of any project, go together in the next statement; each caller
 * still gets its own results, only after its events are durable, and a lone request is written at
 * once with no added wait.
 *
 * How many statements run at once: small writes queue behind the one in flight (under load they
 * gather into one larger statement, which costs PostgreSQL far less per event than several small
 * ones), for MAX_HOLD_MS at most; a group of at least OVERLAP_MIN_EVENTS starts beside those in
 * flight at once, up to maxInFlight, so large batches overlap their round trips.
 */
import type { Queryable } from '../db/database.ts';
import { GroupCommit } from '../db/group-commit.ts';
import { acceptEvents, isRefusedWrite, type AcceptResult, type IngestRequest } from './accept-events.ts';
import type { EventInput } from './event-input.ts';
import type { ProjectCatalog } from './project-catalog.ts';

export interface IngestBatcherOptions {
  /** Statements in flight at once (keep below the connection pool size). */
  maxInFlight?: number;
  /** Events written by one statement at most. */
  maxEvents?: number;
  /** Called after a write committed (wakes the delivery workers). */
  onWritten?: () => void;
  /** How long small writes wait behind one in flight at most (default MAX_HOLD_MS). */
  maxHoldMs?: number;
}

/** Below this many waiting events, a new statement waits for the one in flight instead of starting beside it... */
export const OVERLAP_MIN_EVENTS = 100;
/** ...but not longer than this: a write held up (by a lock, say) must not hold up everybody's. */
export const MAX_HOLD_MS = 20;

export class IngestBatcher {
  readonly #group: GroupCommit<IngestRequest, AcceptResult[]>;

  constructor(
    private readonly db: Queryable,
    private readonly catalog: ProjectCatalog,
    options: IngestBatcherOptions = {},
  ) {
    const maxEvents = options.maxEvents ?? 1000;
    const maxHoldMs = options.maxHoldMs ?? MAX_HOLD_MS;
    this.#group = new GroupCommit(async (requests) => {
      const results = await acceptEvents(this.db, this.catalog, requests);
      options.onWritten?.();
      return results;
    }, {
      maxInFlight: options.maxInFlight ?? 4,
      // Only when the write statement itself was refused (nothing written) is each request tried
      // again on its own; after a dropped connection, or a read after the commit failed, the
      // events may be written, and writing them again would duplicate them.
      refused: isRefusedWrite,
      recheckMs: maxHoldMs / 2,
      take(waiting, inFlight, oldestWaitMs) {
        let queued = 0;
        for (const r of waiting) queued += r.inputs.length;
        if (inFlight > 0 && queued < OVERLAP_MIN_EVENTS && oldestWaitMs < maxHoldMs) return 0; // gather behind the write in flight
        // Whole requests, in arrival order, up to the event limit (a single large request goes alone).
        let count = 0;
        let events = 0;
        while (count < waiting.length && (count === 0 || events + waiting[count].inputs.length <= maxEvents)) events += waiting[count++].inputs.length;
        return count;
      },
    });
  }

  async accept(projectId: string, inputs: readonly EventInput[], now = Date.now()): Promise<AcceptResult[]> {
    try {
      return await this.#group.submit({ projectId, inputs, now });
    } catch (error) {
      // Routed with a cached routing table to a destination another process just deleted: the
      // statement was refused, nothing was written; route again with what the database holds now.
      if (!isDeletedDestination(error)) throw error;
      this.catalog.invalidate(projectId);
      return this.#group.submit({ projectId, inputs, now });
    }
  }
}

function isDeletedDestination(error: unknown): boolean {
  const e = error as { code?: unknown; constraint?: unknown; message?: unknown } | null;
  return e?.code === '23503' && (String(e.constraint ?? '').includes('destination') || String(e.message ?? '').includes('destination'));
}
