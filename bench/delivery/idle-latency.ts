/**
 * (c) Idle latency: how long after POST /v1/events (answered 202) the emulator receives the
 * message, when nothing else is queued. 1,000 events, one after another, each sent once the
 * previous one arrived, rate limits off; p50 and p99. The baseline is the same emulator receiving
 * a chat.postMessage made directly with WebClient from the measuring process, so the difference is
 * Switchboard's overhead: ingest, commit, wake-up, claim, send, over a second process hop.
 */
import { fileURLToPath } from 'node:url';
import { emulatorWebClient, startEmulator, type StartedEmulator } from '../../test/helpers/emulator.ts';
import { createBenchEngine, type Engine } from '../support/bench-engines.ts';
import { EmulatorArrivals, epochNow } from '../support/emulator-arrivals.ts';
import { spawnReadyProcess } from '../support/spawn-gateway.ts';
import { benchEvent, SwitchboardClient } from '../support/switchboard-client.ts';
import { messageText } from '../support/webclient-loop.ts';
import { RELAXED_PACING } from './throughput.ts';

const SWITCHBOARD_PROCESS = fileURLToPath(new URL('../support/switchboard-process.ts', import.meta.url));

export interface LatencyRow {
  sender: string;
  events: number;
  p50_ms: number;
  p99_ms: number;
  max_ms: number;
  /** Switchboard only: time until the 202 was read. */
  accepted_p50_ms?: number;
  accepted_p99_ms?: number;
}

/** Nearest-rank percentile of already sorted values. */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

const ms = (x: number) => +x.toFixed(2);

function summary(sender: string, latencies: number[], accepted?: number[]): LatencyRow {
  const s = [...latencies].sort((a, b) => a - b);
  const out: LatencyRow = { sender, events: s.length, p50_ms: ms(percentile(s, 50)), p99_ms: ms(percentile(s, 99)), max_ms: ms(s.at(-1)!) };
  if (accepted) {
    const a = [...accepted].sort((x, y) => x - y);
    out.accepted_p50_ms = ms(percentile(a, 50));
    out.accepted_p99_ms = ms(percentile(a, 99));
  }
  return out;
}

async function oneChannelWorkspace(slack: StartedEmulator, name: string) {
  const ws = await slack.control.createWorkspace({ name, apps: [{ name: `${name} app`, scopes: ['chat:write'] }], channels: [{ name: 'latency' }] });
  return { teamId: ws.team_id, botToken: ws.bot_token!, channelId: ws.channels[0].id };
}

/** Sends `count` messages one after another through `send`; returns the latencies after `warmUp` unrecorded ones. */
async function sequentially(arrivals: EmulatorArrivals, count: number, warmUp: number, send: (n: number) => Promise<void>) {
  const latencies: number[] = [];
  const accepted: number[] = [];
  for (let n = 0; n < warmUp + count; n++) {
    const arrived = arrivals.nextArrival();
    const t0 = epochNow();
    await send(n);
    const acceptedAt = epochNow();
    const { at } = await arrived;
    if (n < warmUp) continue;
    latencies.push(at - t0);
    accepted.push(acceptedAt - t0);
  }
  return { latencies, accepted };
}

export async function idleLatencyBench(engines: Engine[], count = 1_000, warmUp = 20): Promise<LatencyRow[]> {
  const slack = await startEmulator({ rateLimits: { enabled: false } });
  const rows: LatencyRow[] = [];
  try {
    const direct = await oneChannelWorkspace(slack, 'Latency baseline');
    const web = emulatorWebClient(slack.apiUrl, direct.botToken);
    const directArrivals = new EmulatorArrivals(slack.state, direct.teamId, [direct.channelId]);
    const baseline = await sequentially(directArrivals, count, warmUp, async (n) => {
      await web.chat.postMessage({ channel: direct.channelId, text: messageText(n) });
    });
    directArrivals.stop();
    rows.push(summary('WebClient chat.postMessage', baseline.latencies));

    for (const engine of engines) {
      const ws = await oneChannelWorkspace(slack, `Latency ${engine}`);
      const db = await createBenchEngine(engine, slack.apiUrl);
      const gateway = await spawnReadyProcess<{ url: string }>(SWITCHBOARD_PROCESS, { ...db.env, ...RELAXED_PACING, SWITCHBOARD_DELIVERY: 'on' });
      const arrivals = new EmulatorArrivals(slack.state, ws.teamId, [ws.channelId]);
      try {
        const client = new SwitchboardClient(gateway.ready.url, db.adminKey);
        await client.setUp(ws.botToken, [ws.channelId]);
        const sb = await sequentially(arrivals, count, warmUp, (n) => client.sendEvent(benchEvent(n, 1)));
        rows.push(summary(`switchboard POST /v1/events (${engine})`, sb.latencies, sb.accepted));
      } finally {
        arrivals.stop();
        await gateway.stop();
        await db.drop();
      }
    }
  } finally {
    await slack.close();
  }
  return rows;
}
