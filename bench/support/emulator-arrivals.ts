/**
 * Watches an in-process emulator for messages arriving in given channels, through the state's
 * change listener (the one its page uses): `postMessage` calls it synchronously while handling
 * the request, before answering, so the timestamp taken here is when the emulator received the
 * message. Texts carry a number (`bench n=<n>`); the record of arrivals per channel tells order,
 * duplicates and losses afterwards.
 */
import type { EmulatorState } from '../../emulator/state/emulator-state.ts';
import type { Channel } from '../../emulator/state/model.ts';

export interface Arrival {
  n: number;
  /** Epoch ms, high resolution (comparable with other processes' performance.timeOrigin + now()). */
  at: number;
}

export interface ArrivalReport {
  received: number;
  /** Messages whose number arrived more than once (extra copies). */
  duplicates: number;
  /** Numbers expected (0..expected-1) that never arrived. */
  missing: number;
  /** Arrivals whose number is lower than one already seen in the same channel. */
  outOfOrder: number;
  firstAt: number;
  lastAt: number;
}

export const epochNow = () => performance.timeOrigin + performance.now();

const NUMBER = /\bn=(\d+)/;

export class EmulatorArrivals {
  readonly byChannel = new Map<string, Arrival[]>();
  #channels: { channel: Channel; seen: number }[];
  /** Every arrival in the order received. */
  #arrivals: Arrival[] = [];
  #waiters: { count: number; resolve(): void }[] = [];
  #unsubscribe: () => void;

  constructor(state: EmulatorState, teamId: string, channelIds: string[]) {
    const ws = state.workspace(teamId);
    if (!ws) throw new Error(`no workspace ${teamId}`);
    this.#channels = channelIds.map((id) => {
      const channel = ws.channels.get(id);
      if (!channel) throw new Error(`no channel ${id} in ${teamId}`);
      this.byChannel.set(id, []);
      return { channel, seen: channel.timeline.length };
    });
    this.#unsubscribe = state.subscribe(() => this.#check());
  }

  get count(): number {
    return this.#arrivals.length;
  }

  /** Resolves once `count` messages have arrived in the watched channels (since construction). */
  waitForCount(count: number): Promise<void> {
    if (this.#arrivals.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ count, resolve }));
  }

  /** Resolves with the time of the next arrival after the current count. */
  async nextArrival(): Promise<Arrival> {
    const target = this.#arrivals.length + 1;
    await this.waitForCount(target);
    return this.#arrivals[target - 1];
  }

  stop(): void {
    this.#unsubscribe();
  }

  report(expected: number): ArrivalReport {
    const seen = new Set<number>();
    let duplicates = 0;
    let outOfOrder = 0;
    for (const arrivals of this.byChannel.values()) {
      let highest = -1;
      for (const a of arrivals) {
        if (seen.has(a.n)) duplicates++;
        seen.add(a.n);
        if (a.n < highest) outOfOrder++;
        highest = Math.max(highest, a.n);
      }
    }
    let missing = 0;
    for (let n = 0; n < expected; n++) if (!seen.has(n)) missing++;
    const all = this.#arrivals;
    return { received: all.length, duplicates, missing, outOfOrder, firstAt: all[0]?.at ?? NaN, lastAt: all.at(-1)?.at ?? NaN };
  }

  #check(): void {
    const at = epochNow();
    for (const watched of this.#channels) {
      const timeline = watched.channel.timeline;
      if (timeline.length === watched.seen) continue;
      const arrivals = this.byChannel.get(watched.channel.id)!;
      for (let i = watched.seen; i < timeline.length; i++) {
        const match = NUMBER.exec(timeline[i].text);
        const arrival = { n: match ? Number(match[1]) : -1, at };
        arrivals.push(arrival);
        this.#arrivals.push(arrival);
      }
      watched.seen = timeline.length;
    }
    if (this.#waiters.length === 0) return;
    for (const w of [...this.#waiters]) {
      if (this.#arrivals.length < w.count) continue;
      this.#waiters.splice(this.#waiters.indexOf(w), 1);
      w.resolve();
    }
  }
}
