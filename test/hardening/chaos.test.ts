/**
 * Chaos on PostgreSQL: 2,000 events to 20 destinations of one emulator workspace (10 incoming
 * webhooks, 10 channels through the bot token; each destination takes only its own events,
 * `data.d == N`), sent by 20 careful clients (idempotency keys; no answer or a 5xx tried again,
 * honouring Retry-After), while
 * - the emulator answers some posts with HTTP 5xx or internal_error, drops the connection, or
 *   hangs past our send timeout and posts anyway (faults injected as the run goes, and one burst
 *   per kind that looks like an outage);
 * - the gateway, a spawned `switchboard start`, is killed with SIGKILL once and started again;
 * - the test's own database goes away for a few seconds as in a server restart (new connections
 *   refused, open ones terminated), without touching the server other suites share.
 *
 * Afterwards: every event was stored once; every message is in its channel, first copies in
 * exactly the order accepted; the only repeats are of sends that timed out (the emulator posted
 * them late) or were in flight at the kill; and while the database was away, ingest answered
 * 503 with Retry-After, never 500. No timing is asserted: the timeline is printed.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { WEBHOOK_COUNTER } from '../../emulator/rate-limits/call-counters.ts';
import type { FaultSpec } from '../../emulator/faults/fault-injector.ts';
import { databaseKinds, postgresTestUrl } from '../helpers/databases.ts';
import { startEmulator } from '../helpers/emulator.ts';
import {
  createOwnDatabase,
  freePort,
  postedNumbers,
  sendLine,
  sleep,
  startSwitchboard,
  switchboardSetup,
  setUpLines,
  type IngestTrouble,
  type SwitchboardProcess,
} from '../helpers/spawned-switchboard.ts';

const WEBHOOK_LINES = 10;
const CHANNEL_LINES = 10;
const PER_LINE = 100;
const TOTAL = (WEBHOOK_LINES + CHANNEL_LINES) * PER_LINE;
const SEND_TIMEOUT_MS = 1_000;
/** Longer than the send timeout: the gateway gives up, the emulator posts anyway. */
const HANG_MS = 2_500;
const DATABASE_AWAY_MS = 4_000;
/** Posts (of all kinds) before the kill, and before the database goes away. */
const KILL_AFTER_POSTS = 400;
const DATABASE_AWAY_AFTER_POSTS = 900;
/** Posts of one kind (Web API, webhooks) before its burst of faults, and after which none is added. */
const BURST_AFTER = 600;
const LAST_FAULT_AFTER = 900;

/** Both sides' pacing raised so 2,000 messages drain in seconds: only faults slow the run down. */
const EMULATOR_LIMITS = { enabled: true, channel_per_second: 100, channel_burst: 10, workspace_per_minute: 6_000_000 };
const GATEWAY_ENV = {
  SWITCHBOARD_DELIVERY_CONCURRENCY: '50',
  SWITCHBOARD_PACE_PER_SECOND: '20',
  SWITCHBOARD_PACE_BURST: '5',
  SWITCHBOARD_WORKSPACE_PER_MINUTE: '60000',
  SWITCHBOARD_WORKSPACE_BURST: '1000',
  SWITCHBOARD_SEND_TIMEOUT_MS: String(SEND_TIMEOUT_MS),
  SWITCHBOARD_WORKER_STALE_SECONDS: '2',
};

/** Wall-clock marks of the run, printed at the end. */
class Timeline {
  readonly start = Date.now();
  readonly marks: string[] = [];
  mark(what: string): number {
    const at = Date.now();
    this.marks.push(`${((at - this.start) / 1000).toFixed(1).padStart(6)} s  ${what}`);
    return at;
  }
}

interface InjectedFault {
  id: string;
  kind: string;
  target: 'web_api' | 'webhook';
  count: number;
}

/**
 * Faults as the run goes: after every 8 to 20 posts of a kind (Web API, webhooks; seeded
 * spacing) the next post of that kind misbehaves, each shape in turn, never more than one waiting
 * per kind, so faults spread over the lines instead of piling onto one head. Once per kind, after
 * 600 posts of it, a burst of 10 (as many as the heads of that kind): what an outage looks like.
 * No new fault after 900 posts of a kind, so the run ends on a working Slack.
 */
function faultInjector(slack: Awaited<ReturnType<typeof startEmulator>>, teamId: string) {
  let seed = 7;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const kinds = [
    {
      target: 'web_api' as const,
      counter: 'chat.postMessage',
      spec: { method: 'chat.postMessage', team_id: teamId },
      shapes: [
        { kind: 'http_error', status: 503 },
        { kind: 'slack_error', error: 'internal_error' },
        { kind: 'drop' },
        { kind: 'http_error', status: 500 },
        { kind: 'hang', hang_ms: HANG_MS },
      ],
      burst: { kind: 'http_error', status: 503, count: 10 },
    },
    {
      target: 'webhook' as const,
      counter: WEBHOOK_COUNTER,
      spec: { webhook: '*', team_id: teamId },
      shapes: [{ kind: 'http_error', status: 500 }, { kind: 'drop' }, { kind: 'hang', hang_ms: HANG_MS }, { kind: 'http_error', status: 503 }],
      burst: { kind: 'http_error', status: 500, count: 10 },
    },
  ].map((k) => ({ ...k, next: 10, turn: 0, burstDone: false }));
  const injected: InjectedFault[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const calls = slack.emulator.counters.snapshot().calls;
      const waiting = slack.emulator.faults.list();
      for (const k of kinds) {
        const posts = calls[k.counter] ?? 0;
        const mine = waiting.some((f) => (k.target === 'web_api' ? f.method !== undefined : f.webhook !== undefined));
        if (mine) continue;
        let shape: Partial<FaultSpec> & { count?: number };
        if (posts >= LAST_FAULT_AFTER) continue;
        if (!k.burstDone && posts >= BURST_AFTER) {
          k.burstDone = true;
          shape = k.burst as Partial<FaultSpec>;
        } else if (posts >= k.next) {
          k.next = posts + 8 + Math.floor(random() * 13);
          shape = k.shapes[k.turn++ % k.shapes.length] as Partial<FaultSpec>;
        } else continue;
        // Through the control API, as any test of a Slack client would.
        const fault = await slack.control.addFault({ ...k.spec, ...shape } as FaultSpec);
        injected.push({ id: fault.id, kind: shape.kind === 'http_error' ? `http_${shape.status}` : shape.kind === 'slack_error' ? String(shape.error) : String(shape.kind), target: k.target, count: shape.count ?? 1 });
      }
      await sleep(5);
    }
  })();
  return {
    /** Stops injecting, clears what was not consumed, and says what was (fault kind → uses). */
    async stop(): Promise<{ consumed: Record<string, number>; hangs: number; total: number }> {
      running = false;
      await loop;
      const left = new Map((await slack.control.faults()).map((f) => [f.id, f.remaining]));
      await slack.control.clearFaults();
      const consumed: Record<string, number> = {};
      let hangs = 0;
      let total = 0;
      for (const f of injected) {
        const used = f.count - (left.get(f.id) ?? 0);
        if (used === 0) continue;
        consumed[`${f.target} ${f.kind}`] = (consumed[`${f.target} ${f.kind}`] ?? 0) + used;
        if (f.kind === 'hang') hangs += used;
        total += used;
      }
      return { consumed, hangs, total };
    },
  };
}

describe.runIf(databaseKinds.includes('postgres'))('chaos: 5xx, drops and hangs from Slack, kill -9, the database away (PostgreSQL)', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((error) => console.error('chaos test cleanup:', error));
    }
  });

  it('loses nothing, keeps each line in order, repeats only what timed out or was in flight, answers 503 while the database is away', { timeout: 600_000 }, async () => {
    const timeline = new Timeline();
    const slack = await startEmulator({ rateLimits: EMULATOR_LIMITS });
    cleanups.push(() => slack.close());
    const database = await createOwnDatabase(postgresTestUrl, 'sb_chaos');
    cleanups.push(() => database.drop());
    const setup = switchboardSetup(slack, database.url, await freePort(), GATEWAY_ENV);
    const processes: SwitchboardProcess[] = [];
    cleanups.push(async () => {
      for (const p of processes) await p.cleanup();
    });
    const start = async () => {
      const p = await startSwitchboard(setup);
      processes.push(p);
      return p;
    };

    let gateway = await start();
    const set = await setUpLines(gateway, setup, { webhooks: WEBHOOK_LINES, channels: CHANNEL_LINES }, 'chaos');
    await slack.control.setRateLimits(set.teamId, EMULATOR_LIMITS);
    const posts = () => {
      const calls = slack.emulator.counters.snapshot().by_team[set.teamId]?.calls ?? {};
      return (calls['chat.postMessage'] ?? 0) + (calls[WEBHOOK_COUNTER] ?? 0);
    };
    timeline.mark('set up: 20 destinations (10 webhooks, 10 channels); ingest starts');

    // The clients.
    const troubles: IngestTrouble[] = [];
    let accepted = 0;
    let failed: unknown;
    const clients = set.lines.map((line) =>
      sendLine(gateway.url, set.projectKey, line.d, 1, PER_LINE, {
        gapMs: 100,
        maxTries: 200,
        onAccepted: () => accepted++,
        onTrouble: (t) => troubles.push(t),
        stopped: () => failed !== undefined,
      }).catch((error) => {
        failed ??= error;
      }),
    );
    const ingestDone = Promise.all(clients).then(() => timeline.mark(`ingest finished: ${accepted} accepted`));
    const faults = faultInjector(slack, set.teamId);
    cleanups.push(async () => void (await faults.stop()));
    // Progress every 5 s: posts, accepted events, and the outages the gateway sees (when the database answers).
    const outagesNow = async () => {
      const c = await database.client();
      try {
        const { rows } = await c.query<{ key: string; failures: number; probe_in: number }>(
          'SELECT key, failures, round(extract(epoch FROM probe_at - now())::numeric, 1)::float8 AS probe_in FROM outages ORDER BY key',
        );
        return rows.map((r) => `${r.key.split(':')[0]} ×${r.failures} probe in ${r.probe_in} s`).join(', ') || 'none';
      } finally {
        await c.end();
      }
    };
    const progress = setInterval(() => {
      const line = `  progress: ${posts()} posts, ${accepted} accepted`;
      void outagesNow().then(
        (o) => timeline.mark(`${line}; outages: ${o}`),
        () => timeline.mark(`${line}; database not answering`),
      );
    }, 5_000);
    cleanups.push(async () => clearInterval(progress));

    const waitFor = async (what: string, check: () => boolean | Promise<boolean>, timeoutMs = 120_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!(await check())) {
        if (failed) throw failed;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await sleep(5);
      }
    };

    let inFlightAtKill: { d: number; n: number }[] = [];
    const databaseAway = { from: 0, to: 0, terminated: 0 };
    try {
      // kill -9 mid-run, then a restart on the same port and database.
      await waitFor(`${KILL_AFTER_POSTS} posts`, () => posts() >= KILL_AFTER_POSTS);
      timeline.mark(`kill -9 (${posts()} posts, ${accepted} accepted)`);
      await gateway.kill();
      const db = await database.client();
      try {
        const { rows } = await db.query<{ d: number; n: number }>(
          `SELECT (e.data->>'d')::int AS d, (e.data->>'n')::int AS n FROM deliveries dl JOIN events e ON e.id = dl.event_id WHERE dl.status = 'sending'`,
        );
        inFlightAtKill = rows;
      } finally {
        await db.end();
      }
      gateway = await start();
      timeline.mark(`restarted (${inFlightAtKill.length} sends were in flight at the kill)`);

      // The database away while ingest still runs (the clients send more slowly than the lines drain).
      await waitFor(`${DATABASE_AWAY_AFTER_POSTS} posts`, () => posts() >= DATABASE_AWAY_AFTER_POSTS || accepted >= TOTAL - 400);
      databaseAway.from = timeline.mark(`database refuses connections (${accepted} accepted)`);
      databaseAway.terminated = (await database.refuseConnections()).terminated;
      await sleep(DATABASE_AWAY_MS);
      const stillOpen = await database.connections();
      await database.allowConnections();
      databaseAway.to = timeline.mark(`database accepts connections again (${databaseAway.terminated} connections terminated, ${stillOpen} open while away)`);
      expect(stillOpen, 'nothing connected to the database while it refused connections').toBe(0);

      await ingestDone;
      if (failed) throw failed;
    } finally {
      failed ??= new Error('stopped');
      await Promise.all(clients);
    }

    // Every delivery settled.
    const db = await database.client();
    cleanups.push(() => db.end());
    const statuses = async () => Object.fromEntries((await db.query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM deliveries GROUP BY status')).rows.map((r) => [r.status, r.n]));
    const deadline = Date.now() + 300_000;
    let last: Record<string, number> = {};
    for (;;) {
      last = await statuses();
      if ((last.sent ?? 0) + (last.dead ?? 0) + (last.failed ?? 0) + (last.expired ?? 0) >= TOTAL) break;
      if (Date.now() > deadline) break;
      await sleep(500);
    }
    timeline.mark(`deliveries settled: ${JSON.stringify(last)}`);
    const faultsUsed = await faults.stop();
    clearInterval(progress);
    // Hung requests post when their hang ends: let the late copies land before reading the channels.
    await sleep(HANG_MS + 1_000);

    // Ingest: every event stored once, whatever was retried.
    const events = (await db.query<{ n: number; keys: number }>('SELECT count(*)::int AS n, count(DISTINCT idempotency_key)::int AS keys FROM events')).rows[0];
    const attempts = (
      await db.query<{ error: string; n: number }>(
        `SELECT coalesce(regexp_replace(error, '^(timeout|request_error|network error|http_[0-9]+).*$', '\\1'), outcome) AS error, count(*)::int AS n
         FROM delivery_attempts GROUP BY 1 ORDER BY 2 DESC`,
      )
    ).rows;
    // Sends that may have reached Slack without our knowing: each timed-out attempt (the emulator
    // posts a hung request when its hang ends), and each send in flight at the kill.
    const timedOut = (
      await db.query<{ d: number; n: number }>(
        `SELECT (e.data->>'d')::int AS d, (e.data->>'n')::int AS n
         FROM delivery_attempts a JOIN deliveries dl ON dl.id = a.delivery_id JOIN events e ON e.id = dl.event_id
         WHERE a.error LIKE 'timeout%'`,
      )
    ).rows;
    const mayRepeat = new Map<string, number>();
    for (const r of [...timedOut, ...inFlightAtKill]) mayRepeat.set(`${r.d}:${r.n}`, (mayRepeat.get(`${r.d}:${r.n}`) ?? 0) + 1);

    // Slack: every message, in order per line; repeats only where a send may have reached it twice.
    const posted = await postedNumbers(slack, set);
    let duplicates = 0;
    const unexplained: string[] = [];
    const lost: string[] = [];
    const outOfOrder: string[] = [];
    for (const line of set.lines) {
      const numbers = posted.get(line.d) ?? [];
      const firsts: number[] = [];
      const seen = new Set<number>();
      for (const n of numbers) {
        if (seen.has(n)) {
          duplicates++;
          const left = mayRepeat.get(`${line.d}:${n}`) ?? 0;
          if (left === 0) unexplained.push(`d${line.d} n=${n}`);
          else mayRepeat.set(`${line.d}:${n}`, left - 1);
        } else {
          seen.add(n);
          firsts.push(n);
        }
      }
      for (let n = 1; n <= PER_LINE; n++) if (!seen.has(n)) lost.push(`d${line.d} n=${n}`);
      for (let i = 1; i < firsts.length; i++) if (firsts[i] <= firsts[i - 1]) outOfOrder.push(`d${line.d}: n=${firsts[i]} after n=${firsts[i - 1]}`);
    }

    const during = troubles.filter((t) => t.at >= databaseAway.from && t.at <= databaseAway.to + 1_000);
    const byStatus = (list: IngestTrouble[]) =>
      list.reduce<Record<string, number>>((acc, t) => {
        const key = t.status === 0 ? `no answer (${t.error})` : `${t.status} ${t.code ?? ''}${t.retryAfter ? ` Retry-After ${t.retryAfter}` : ''}`.trim();
        acc[key] = (acc[key] ?? 0) + 1;
        return acc;
      }, {});
    console.log(
      [
        'chaos run:',
        ...timeline.marks,
        `events stored: ${events.n} (${events.keys} distinct keys) of ${TOTAL}`,
        `ingest answers other than 202, whole run: ${JSON.stringify(byStatus(troubles))}`,
        `  while the database was away (+1 s): ${JSON.stringify(byStatus(during))}`,
        `faults consumed: ${JSON.stringify(faultsUsed.consumed)}`,
        `attempts: ${JSON.stringify(Object.fromEntries(attempts.map((a) => [a.error, a.n])))}`,
        `in Slack: ${[...posted.values()].reduce((s, l) => s + l.length, 0)} messages, ${duplicates} repeats ` +
          `(bound: ${timedOut.length} timed-out sends + ${inFlightAtKill.length} in flight at the kill; ${faultsUsed.hangs} hangs consumed); ` +
          `lost ${lost.length}, out of order ${outOfOrder.length}`,
      ].join('\n'),
    );
    if (lost.length || outOfOrder.length || unexplained.length) {
      const { rows } = await db.query(
        `SELECT t.name, dl.status, count(*)::int AS n, min(dl.run_at) AS next_run, max(dl.attempts) AS max_attempts, max(dl.last_error) AS last_error
         FROM deliveries dl JOIN destinations t ON t.id = dl.destination_id WHERE dl.status <> 'sent' GROUP BY 1, 2 ORDER BY 1`,
      );
      console.log('not sent:', JSON.stringify(rows));
      console.log('outages:', JSON.stringify((await db.query('SELECT * FROM outages')).rows));
      for (const p of processes) console.log(`gateway ${p.child.pid} output (end):\n${p.output().slice(-3_000)}`);
    }

    expect(events).toEqual({ n: TOTAL, keys: TOTAL });
    expect(last, 'every delivery sent').toEqual({ sent: TOTAL });
    expect(lost, 'lost messages').toEqual([]);
    expect(outOfOrder, 'first copies in acceptance order on every line').toEqual([]);
    expect(unexplained, 'repeats beyond the sends of that message that timed out or were in flight at the kill').toEqual([]);
    expect(duplicates).toBeLessThanOrEqual(timedOut.length + inFlightAtKill.length);

    // The database outage: 503 with Retry-After, never 500.
    expect(troubles.filter((t) => t.status >= 500 && !(t.status === 503 && t.retryAfter !== null)), 'every 5xx was a 503 with Retry-After').toEqual([]);
    expect(during.filter((t) => t.status === 503 && t.code === 'database_unavailable').length, 'ingest answered 503 while the database was away').toBeGreaterThan(0);
    expect(faultsUsed.total, 'faults were consumed').toBeGreaterThan(0);
  });
});
