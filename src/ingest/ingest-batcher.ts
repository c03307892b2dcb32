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
 * ones); a group of at least OVERLAP_MIN_EVENTS starts beside those in flight, up to maxInFlight,
 * so large batches overlap their round trips.
 */
import type { Queryable } from '../db/database.ts';
import { GroupCommit, type ItemOutcome } from '../db/group-commit.ts';
import { acceptEvents, type AcceptResult, type IngestRequest } from './accept-events.ts';
import type { EventInput } from './event-input.ts';
import type { ProjectCatalog } from './project-catalog.ts';

export interface IngestBatcherOptions {
  /** Statements in flight at once (keep below the connection pool size). */
  maxInFlight?: number;
  /** Events written by one statement at most. */
  maxEvents?: number;
  /** Called after a write committed (wakes the delivery workers). */
  onWritten?: () => void;
}

/** Below this many waiting events, a new statement waits for the one in flight instead of starting beside it. */
export const OVERLAP_MIN_EVENTS = 100;

interface Request extends IngestRequest {
  now: number;
}

export class IngestBatcher {
  readonly #group: GroupCommit<Request, AcceptResult[]>;

  constructor(
    private readonly db: Queryable,
    private readonly catalog: ProjectCatalog,
    options: IngestBatcherOptions = {},
  ) {
    const maxEvents = options.maxEvents ?? 1000;
    this.#group = new GroupCommit((requests) => this.#write(requests, options.onWritten), {
      maxInFlight: options.maxInFlight ?? 4,
      take(waiting, inFlight) {
        let queued = 0;
        for (const r of waiting) queued += r.inputs.length;
        if (inFlight > 0 && queued < OVERLAP_MIN_EVENTS) return 0; // gather behind the write in flight
        // Whole requests, in arrival order, up to the event limit (a single large request goes alone).
        let count = 0;
        let events = 0;
        while (count < waiting.length && (count === 0 || events + waiting[count].inputs.length <= maxEvents)) events += waiting[count++].inputs.length;
        return count;
      },
    });
  }

  accept(projectId: string, inputs: readonly EventInput[], now = Date.now()): Promise<AcceptResult[]> {
    return this.#group.submit({ projectId, inputs, now });
  }

  async #write(requests: Request[], onWritten?: () => void): Promise<ItemOutcome<AcceptResult[]>[]> {
    try {
      const results = await acceptEvents(this.db, this.catalog, requests, { now: requests[0].now });
      onWritten?.();
      return results.map((value) => ({ ok: true, value }));
    } catch (error) {
      // The server refused the statement (so nothing of it was written): one request's problem
      // must not fail the others written with it, so each is tried again on its own. Anything
      // else (the connection dropped: the write may have committed) fails them all as it is.
      if (requests.length === 1 || !isStatementError(error)) throw error;
      const outcomes: ItemOutcome<AcceptResult[]>[] = [];
      for (const request of requests) {
        try {
          const [value] = await acceptEvents(this.db, this.catalog, [request], { now: request.now });
          outcomes.push({ ok: true, value });
        } catch (alone) {
          outcomes.push({ ok: false, error: alone });
        }
      }
      if (outcomes.some((o) => o.ok)) onWritten?.();
      return outcomes;
    }
  }
}

/** An error PostgreSQL answered for a statement (it has a SQLSTATE), not a lost connection. */
function isStatementError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && !code.startsWith('08') && !code.startsWith('57');
}
