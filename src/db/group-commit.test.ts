import { describe, expect, it } from 'vitest';
import { GroupCommit } from './group-commit.ts';

/** A write that records its groups and finishes when told to. */
function controlledWrite() {
  const groups: number[][] = [];
  const finish: (() => void)[] = [];
  const write = (items: number[]) => {
    groups.push(items);
    return new Promise<number[]>((resolve) => finish.push(() => resolve(items.map((n) => n * 10))));
  };
  return { groups, finish, write };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('GroupCommit', () => {
  it('writes a lone item at once and gathers the items that arrive meanwhile into the next write', async () => {
    const { groups, finish, write } = controlledWrite();
    const group = new GroupCommit(write, { maxInFlight: 1 });
    const answers = [1, 2, 3, 4].map((n) => group.submit(n));
    await tick();
    expect(groups).toEqual([[1]]);
    finish[0]();
    await tick();
    expect(groups).toEqual([[1], [2, 3, 4]]);
    finish[1]();
    expect(await Promise.all(answers)).toEqual([10, 20, 30, 40]);
  });

  it('lets take() hold items back while a write is in flight, and split them', async () => {
    const { groups, finish, write } = controlledWrite();
    const group = new GroupCommit(write, { maxInFlight: 3, take: (waiting, inFlight) => (inFlight > 0 && waiting.length < 3 ? 0 : Math.min(2, waiting.length)) });
    const answers = [1, 2, 3].map((n) => group.submit(n));
    await tick();
    // 1 was written alone; 2 and 3 then waited: fewer than three waiting while a write is in flight.
    expect(groups).toEqual([[1]]);
    finish[0]();
    await tick();
    expect(groups).toEqual([[1], [2, 3]]);
    finish[1]();
    await Promise.all(answers);
  });

  it('never holds items back with nothing in flight, and looks again while a slow write holds them', async () => {
    const { groups, finish, write } = controlledWrite();
    const group = new GroupCommit(write, { maxInFlight: 2, recheckMs: 5, take: (_waiting, inFlight, oldestWaitMs) => (inFlight > 0 && oldestWaitMs < 30 ? 0 : 1) });
    const first = group.submit(1); // nothing in flight: written at once
    await tick();
    expect(groups).toEqual([[1]]);
    const second = group.submit(2); // held behind the first, which does not finish...
    await tick();
    expect(groups).toEqual([[1]]);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(groups).toEqual([[1], [2]]); // ...so after the hold it went beside it
    finish[1]();
    finish[0]();
    expect(await Promise.all([first, second])).toEqual([10, 20]);
  });

  it('fails every item of a write that throws, unless it was refused: then each item is written alone', async () => {
    // Each test submits 1, 2, 3 at once: 1 is written alone, then 2 and 3 together (2 is the bad one).
    const writes: number[][] = [];
    const write = async (items: number[]) => {
      writes.push(items);
      if (items.includes(2)) throw Object.assign(new Error('two'), { refused: true });
      return items;
    };
    const lost = new GroupCommit<number, number>(write, { maxInFlight: 1 }); // nothing says "refused"
    const all = await Promise.allSettled([1, 2, 3].map((n) => lost.submit(n)));
    expect(all.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
    expect(writes).toEqual([[1], [2, 3]]);

    writes.length = 0;
    const refused = new GroupCommit<number, number>(write, { maxInFlight: 1, refused: (e) => (e as { refused?: boolean }).refused === true });
    const some = await Promise.allSettled([1, 2, 3].map((n) => refused.submit(n)));
    expect(some.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(writes).toEqual([[1], [2, 3], [2], [3]]);
  });
});
