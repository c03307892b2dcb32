/**
 * Workers coming and going. A graceful stop claims nothing more, lets sends in flight finish,
 * and puts back in line whatever is still out when its grace period ends; a worker that stopped
 * beating (a crashed process) has its claims released to the others, while a live worker's
 * claims are left alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../helpers/databases.ts';
import { eventually, range, splitRepeats, startDeliveryStack, type DeliveryStack } from './delivery-stack.ts';

describe.each(databaseKinds)('worker lifecycle on %s', (kind) => {
  let s: DeliveryStack;
  beforeAll(async () => {
    // No worker of its own: each test starts the workers it needs. Sends may take up to 5 s.
    s = await startDeliveryStack(kind, { gateway: { noWorker: true }, delivery: { sendTimeoutMs: 5_000, workerStaleSeconds: 3 } });
  });
  afterAll(async () => s?.close());

  const claim = async (deliveryId: string) =>
    (await s.gw.ctx.db.query<{ status: string; locked_by: string | null; attempts: number }>('SELECT status, locked_by, attempts FROM deliveries WHERE id = $1', [deliveryId])).rows[0];

  it('graceful stop waits for a send in flight to finish, then claims nothing more', async () => {
    const channel = await s.slack.control.createChannel(s.teamId, { name: 'stop-drains' });
    const destinationId = await s.channelLine('drains', channel.id);
    s.slack.emulator.faults.add({ method: 'chat.postMessage', kind: 'hang', hang_ms: 400 });
    await s.send('drains', 1, 2);
    const worker = await s.gw.startWorker();
    const [first, second] = await s.deliveries(destinationId);
    await eventually(async () => expect((await claim(first.id)).status).toBe('sending'));

    await worker.stop(5_000);
    expect(await claim(first.id)).toMatchObject({ status: 'sent', locked_by: null });
    expect(await claim(second.id), 'nothing claimed once stopping').toMatchObject({ status: 'pending', locked_by: null, attempts: 0 });
    const { rows } = await s.gw.ctx.db.query('SELECT 1 FROM workers WHERE id = $1', [worker.id]);
    expect(rows, 'a stopped worker leaves the roster').toEqual([]);

    const next = await s.gw.startWorker();
    await eventually(async () => expect(await s.posted(channel.id, 'drains')).toEqual([1, 2]));
    await next.stop();
  });

  it('graceful stop puts a send that outlasts the grace period back in line; the next worker sends it', async () => {
    const channel = await s.slack.control.createChannel(s.teamId, { name: 'stop-releases' });
    const destinationId = await s.channelLine('releases', channel.id);
    s.slack.emulator.faults.add({ method: 'chat.postMessage', kind: 'hang', hang_ms: 1_500 });
    await s.send('releases', 1, 3);
    const worker = await s.gw.startWorker();
    const [first] = await s.deliveries(destinationId);
    await eventually(async () => expect((await claim(first.id)).status).toBe('sending'));

    await worker.stop(100);
    expect(await claim(first.id)).toMatchObject({ status: 'pending', locked_by: null, attempts: 0 });

    const next = await s.gw.startWorker();
    await eventually(async () => expect((await s.deliveries(destinationId)).map((d) => d.status)).toEqual(['sent', 'sent', 'sent']));
    // The send cut off at the stop still reached Slack when its hang ended: the one repeat, at least once.
    await eventually(async () => expect((await s.posted(channel.id, 'releases')).length).toBe(4));
    const { firsts, repeats } = splitRepeats(await s.posted(channel.id, 'releases'));
    expect(firsts).toEqual(range(1, 3));
    expect(repeats).toEqual([1]);
    await next.stop();
  });

  it("a worker's own claim with no send running (its outcome could not be recorded) goes back in line", async () => {
    const channel = await s.slack.control.createChannel(s.teamId, { name: 'orphaned' });
    const destinationId = await s.channelLine('orphaned', channel.id);
    await s.send('orphaned', 1, 2);
    const worker = await s.gw.startWorker();
    await eventually(async () => expect(await s.posted(channel.id, 'orphaned')).toEqual([1, 2]));
    // As if the database had been unreachable when #3's outcome came back, for longer than the
    // worker kept trying: the row says this live worker is sending it, but nothing is.
    await s.send('orphaned', 3);
    const third = (await s.deliveries(destinationId))[2];
    await eventually(async () => expect((await claim(third.id)).status).toBe('sent'));
    await s.gw.ctx.db.query(
      `UPDATE deliveries SET status = 'sending', locked_by = $2, locked_at = now() - interval '1 minute', sent_at = NULL WHERE id = $1`,
      [third.id, worker.id],
    );
    await s.send('orphaned', 4);
    await eventually(async () => expect((await s.deliveries(destinationId)).map((d) => d.status)).toEqual(['sent', 'sent', 'sent', 'sent']));
    expect(await s.posted(channel.id, 'orphaned'), 'the orphaned one is sent again (at least once), then the line goes on').toEqual([1, 2, 3, 3, 4]);
    await worker.stop();
  });

  it("a dead worker's claims are released to the others; a live worker's claims are left alone", async () => {
    const channel = await s.slack.control.createChannel(s.teamId, { name: 'stale-claims' });
    const crashed = await s.channelLine('crashed', channel.id);
    const busy = await s.channelLine('busy', channel.id);
    await s.send('crashed', 1, 2);
    await s.send('busy', 1, 2);
    const db = s.gw.ctx.db;
    // Two other processes: one stopped beating a minute ago mid-send, one is alive and sending.
    await db.query(`INSERT INTO workers (id, hostname, pid, heartbeat_at) VALUES ('ghost', 'gone', 1, now() - interval '1 minute'), ('alive', 'here', 2, now())`);
    const [crashedHead] = await s.deliveries(crashed);
    const [busyHead] = await s.deliveries(busy);
    await db.query(`UPDATE deliveries SET status = 'sending', locked_by = 'ghost', locked_at = now(), attempts = 1 WHERE id = $1`, [crashedHead.id]);
    await db.query(`UPDATE deliveries SET status = 'sending', locked_by = 'alive', locked_at = now(), attempts = 1 WHERE id = $1`, [busyHead.id]);

    const worker = await s.gw.startWorker(); // its first housekeeping runs before start() returns
    expect((await claim(busyHead.id)).locked_by, 'a live worker keeps its claim').toBe('alive');
    await eventually(async () => expect(await s.posted(channel.id, 'crashed')).toEqual([1, 2]));
    expect(await s.posted(channel.id, 'busy'), "the live worker's line waits for its send").toEqual([]);

    // The other process dies too: once its heartbeat is older than the stale limit, its claim goes back.
    await db.query(`UPDATE workers SET heartbeat_at = now() - interval '1 minute' WHERE id = 'alive'`);
    await eventually(async () => expect(await s.posted(channel.id, 'busy')).toEqual([1, 2]));
    await eventually(async () => expect((await s.deliveries(busy)).map((d) => d.status)).toEqual(['sent', 'sent']));
    await worker.stop();
  });
});
