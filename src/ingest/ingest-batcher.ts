/**
 * Group commit for ingest. Every accepted event must be committed before its 202, and each write
 * statement has a fixed cost (a round trip, a commit that waits for the disk, about 3 ms here,
 * and PostgreSQL's per-statement work) however few events it carries. So requests that arrive
 * while a write is in flight, of any project, wait and go together in the next statement: each
 * caller still gets its own results, only after its events are durable, and a lone request is
 * written at once with no added wait.
 *
 * How many statements run at once: small writes queue behind the one in flight (under load they
 * gather into one larger statement, which costs PostgreSQL far less per event than several small
 * ones); a group of at least OVERLAP_MIN_EVENTS starts beside those in flight, up to maxInFlight,
 * so large batches overlap their round trips.
 */
import type { Queryable } from '../db/database.ts';
import { acceptEvents, type AcceptResult } from './accept-events.ts';
import type { EventInput } from './event-input.ts';
import type { ProjectCatalog } from './project-catalog.ts';

interface Waiting {
  projectId: string;
  inputs: readonly EventInput[];
  now: number;
  resolve(results: AcceptResult[]): void;
  reject(error: unknown): void;
}

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

export class IngestBatcher {
  #queue: Waiting[] = [];
  #queuedEvents = 0;
  #inFlight = 0;
  readonly #maxInFlight: number;
  readonly #maxEvents: number;
  readonly #onWritten?: () => void;

  constructor(
    private readonly db: Queryable,
    private readonly catalog: ProjectCatalog,
    options: IngestBatcherOptions = {},
  ) {
    this.#maxInFlight = options.maxInFlight ?? 4;
    this.#maxEvents = options.maxEvents ?? 1000;
    this.#onWritten = options.onWritten;
  }

  accept(projectId: string, inputs: readonly EventInput[], now = Date.now()): Promise<AcceptResult[]> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ projectId, inputs, now, resolve, reject });
      this.#queuedEvents += inputs.length;
      this.#pump();
    });
  }

  #pump(): void {
    while (this.#queue.length > 0 && this.#inFlight < this.#maxInFlight) {
      if (this.#inFlight > 0 && this.#queuedEvents < OVERLAP_MIN_EVENTS) return; // gather behind the write in flight
      // Whole requests, in arrival order, up to the event limit (a single large request goes alone).
      const taken: Waiting[] = [];
      let events = 0;
      while (this.#queue.length > 0 && (taken.length === 0 || events + this.#queue[0].inputs.length <= this.#maxEvents)) {
        const next = this.#queue.shift()!;
        events += next.inputs.length;
        taken.push(next);
      }
      this.#queuedEvents -= events;
      this.#inFlight++;
      void this.#write(taken).finally(() => {
        this.#inFlight--;
        this.#pump();
      });
    }
  }

  async #write(taken: Waiting[]): Promise<void> {
    try {
      const results = await acceptEvents(this.db, this.catalog, taken, { now: taken[0].now });
      this.#onWritten?.();
      taken.forEach((w, i) => w.resolve(results[i]));
    } catch (error) {
      // The server refused the statement (so nothing of it was written): one request's problem
      // must not fail the others written with it, so each is tried again on its own. Anything
      // else (the connection dropped: the write may have committed) is reported as it is.
      if (taken.length > 1 && isStatementError(error)) return this.#writeEachAlone(taken);
      for (const w of taken) w.reject(error);
    }
  }

  async #writeEachAlone(taken: Waiting[]): Promise<void> {
    let wrote = false;
    for (const w of taken) {
      try {
        const [results] = await acceptEvents(this.db, this.catalog, [w], { now: w.now });
        wrote = true;
        w.resolve(results);
      } catch (error) {
        w.reject(error);
      }
    }
    if (wrote) this.#onWritten?.();
  }
}

/** An error PostgreSQL answered for a statement (it has a SQLSTATE), not a lost connection. */
function isStatementError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && !code.startsWith('08') && !code.startsWith('57');
}
