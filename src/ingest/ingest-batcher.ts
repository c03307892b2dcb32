/**
 * Group commit for ingest. Every accepted event must be committed before its 202, and a commit
 * waits for the disk (about 3 ms here). Instead of one statement per request, requests that
 * arrive while earlier writes are in flight are written together in the next statement: each
 * caller still gets its own results, only after its event is durable, and a lone request is
 * written at once with no added wait. A few statements run in parallel so batches overlap.
 */
import type { Queryable } from '../db/database.ts';
import { acceptEvents, type AcceptResult } from './accept-events.ts';
import type { EventInput } from './event-input.ts';
import type { ProjectCatalog } from './project-catalog.ts';

interface Waiting {
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

export class IngestBatcher {
  #queues = new Map<string, Waiting[]>();
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
      const queue = this.#queues.get(projectId) ?? [];
      queue.push({ inputs, now, resolve, reject });
      this.#queues.set(projectId, queue);
      this.#pump();
    });
  }

  #pump(): void {
    while (this.#inFlight < this.#maxInFlight && this.#queues.size > 0) {
      const [projectId, queue] = this.#queues.entries().next().value as [string, Waiting[]];
      // Take whole requests up to the event limit (a single large request goes alone).
      const taken: Waiting[] = [];
      let events = 0;
      while (queue.length > 0 && (taken.length === 0 || events + queue[0].inputs.length <= this.#maxEvents)) {
        const next = queue.shift()!;
        events += next.inputs.length;
        taken.push(next);
      }
      if (queue.length === 0) this.#queues.delete(projectId);
      else {
        // Let other projects go first next time.
        this.#queues.delete(projectId);
        this.#queues.set(projectId, queue);
      }
      this.#inFlight++;
      void this.#write(projectId, taken).finally(() => {
        this.#inFlight--;
        this.#pump();
      });
    }
  }

  async #write(projectId: string, taken: Waiting[]): Promise<void> {
    try {
      const all = taken.flatMap((w) => w.inputs);
      const results = await acceptEvents(this.db, this.catalog, projectId, all, { now: taken[0].now });
      this.#onWritten?.();
      let offset = 0;
      for (const w of taken) {
        w.resolve(results.slice(offset, offset + w.inputs.length));
        offset += w.inputs.length;
      }
    } catch (error) {
      for (const w of taken) w.reject(error);
    }
  }
}
