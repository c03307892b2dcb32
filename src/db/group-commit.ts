/**
 * Group commit: callers submit items one by one; items that arrive while earlier writes are in
 * flight are written together by the next write, and each caller's promise settles with its own
 * result once that write is done. A lone item is written at once. Ingest (events) and the
 * delivery worker (posted messages) both use it: each write statement has a fixed cost (a round
 * trip, a commit, PostgreSQL's per-statement work) that a group pays once.
 */
export interface GroupCommitOptions<T> {
  /** Writes in flight at once at most. */
  maxInFlight: number;
  /**
   * How many of the waiting items (oldest first) the next write takes, given how many writes are
   * in flight and how long the oldest item has waited: at least 1 to start a write now, 0 to hold
   * them back while writes are in flight (with none in flight every waiting item goes). By
   * default every waiting item.
   */
  take?(waiting: readonly T[], inFlight: number, oldestWaitMs: number): number;
  /** While take() holds items back, it is asked again after this long, even if no write finishes. */
  recheckMs?: number;
  /**
   * Whether a failed write of several items wrote none of them (the database refused it), so
   * that each item is written again on its own: one item's problem then fails only that item.
   * Without it, or when it says no (the write may have committed), every item fails.
   */
  refused?(error: unknown): boolean;
}

interface Waiting<T, R> {
  item: T;
  since: number;
  resolve(value: R): void;
  reject(error: unknown): void;
}

export class GroupCommit<T, R> {
  #waiting: Waiting<T, R>[] = [];
  #inFlight = 0;
  #recheck?: NodeJS.Timeout;

  /** `write` answers every item, in order. */
  constructor(
    private readonly write: (items: T[]) => Promise<R[]>,
    private readonly options: GroupCommitOptions<T>,
  ) {}

  submit(item: T): Promise<R> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ item, since: performance.now(), resolve, reject });
      this.#pump();
    });
  }

  #pump(): void {
    while (this.#waiting.length > 0 && this.#inFlight < this.options.maxInFlight) {
      let count = this.options.take
        ? this.options.take(this.#waiting.map((w) => w.item), this.#inFlight, performance.now() - this.#waiting[0].since)
        : this.#waiting.length;
      if (count <= 0 && this.#inFlight > 0) {
        // Held back behind the writes in flight; look again soon in case they are slow (a lock).
        this.#recheck ??= setTimeout(() => {
          this.#recheck = undefined;
          this.#pump();
        }, this.options.recheckMs ?? 10).unref();
        return;
      }
      if (count <= 0) count = this.#waiting.length; // nothing in flight: never hold anything back
      const taken = this.#waiting.splice(0, count);
      this.#inFlight++;
      void this.#run(taken).finally(() => {
        this.#inFlight--;
        this.#pump();
      });
    }
  }

  async #run(taken: Waiting<T, R>[]): Promise<void> {
    try {
      const results = await this.write(taken.map((w) => w.item));
      taken.forEach((w, i) => w.resolve(results[i]));
    } catch (error) {
      if (taken.length === 1 || !this.options.refused?.(error)) {
        for (const w of taken) w.reject(error);
        return;
      }
      for (const w of taken) {
        try {
          w.resolve((await this.write([w.item]))[0]);
        } catch (alone) {
          w.reject(alone);
        }
      }
    }
  }
}
