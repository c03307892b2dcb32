/**
 * `switchboard deliveries list|show|retry|cancel|resume`: the delivery queue over the REST API (the same
 * endpoints a dashboard uses). Bulk retry and cancel work in chunks through the API's cursor, so
 * the progress bar shows work actually done, and an interrupted run leaves nothing half-applied
 * within a chunk.
 */
import type { Command } from 'commander';
import { ApiError, callApi, type ApiOptions } from '../api-client.ts';

export interface Output {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface CliIo {
  stdout: Output;
  /** Progress goes here, so stdout stays clean for pipes. */
  stderr: Output;
  now(): number;
}

export const CHUNK_SIZE = 100;

interface Delivery {
  id: string;
  status: string;
  destination_name: string;
  event_type: string;
  attempts: number;
  created_at: string;
  last_error: string | null;
  hint: string | null;
}

interface BulkAnswer {
  matched: number;
  delivery_ids: string[];
  next_cursor: string | null;
  retried?: number;
  cancelled?: number;
}

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** An ISO 8601 time, or a time ago such as 30m, 2h, 7d. */
export function parseWhen(value: string, now: number, flag: string): string {
  const ago = /^(\d+)\s*([smhdw])$/.exec(value.trim());
  if (ago) return new Date(now - Number(ago[1]) * UNITS[ago[2]]).toISOString();
  const at = Date.parse(value);
  if (Number.isNaN(at)) throw new Error(`${flag} must be a time such as 2026-11-25T10:00:00Z, or a time ago such as 30m, 2h or 7d`);
  return new Date(at).toISOString();
}

/** `[██████░░░░░░] 50% 50/100 retried` */
export function progressBar(done: number, total: number, verb: string, width = 30): string {
  const share = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(share * width);
  return `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${String(Math.floor(share * 100)).padStart(3)}% ${done}/${total} ${verb}`;
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ').trimEnd()).join('\n') + '\n';
}

function note(d: Delivery): string {
  const text = d.hint ?? d.last_error ?? '';
  return text.length > 70 ? `${text.slice(0, 69)}…` : text;
}

export function formatDeliveries(deliveries: Delivery[]): string {
  if (deliveries.length === 0) return 'No deliveries match.\n';
  const rows = deliveries.map((d) => [d.id, d.status, d.destination_name, d.event_type, String(d.attempts), d.created_at.replace('T', ' ').slice(0, 19), note(d)]);
  return table([['ID', 'STATUS', 'DESTINATION', 'EVENT TYPE', 'TRIES', 'ACCEPTED (UTC)', 'NOTE'], ...rows]);
}

/**
 * Runs a bulk endpoint chunk by chunk until its cursor runs out, drawing progress as it goes.
 * The total is what matched when the first chunk began.
 */
export async function runInChunks(
  call: (body: Record<string, unknown>) => Promise<BulkAnswer>,
  body: Record<string, unknown>,
  verb: 'retried' | 'cancelled',
  progress: Output,
  chunkSize = CHUNK_SIZE,
): Promise<{ done: number; total: number }> {
  let cursor: string | undefined;
  let total: number | undefined;
  let done = 0;
  const draw = (final: boolean) => {
    if (progress.isTTY) progress.write(`\r${progressBar(done, total ?? 0, verb)}${final ? '\n' : ''}`);
    else progress.write(`${progressBar(done, total ?? 0, verb)}\n`);
  };
  do {
    const answer = await call({ ...body, limit: chunkSize, cursor });
    total ??= answer.matched;
    done += answer.delivery_ids.length;
    total = Math.max(total, done);
    cursor = answer.next_cursor ?? undefined;
    draw(!cursor);
  } while (cursor);
  return { done, total: total ?? 0 };
}

/** One request per id; refusals are reported and counted, not fatal to the others. */
async function eachId(ids: string[], action: 'retry' | 'cancel', api: ApiOptions, io: CliIo): Promise<void> {
  let refused = 0;
  for (const id of ids) {
    try {
      const d = (await callApi(api, 'POST', `/v1/deliveries/${encodeURIComponent(id)}/${action}`)) as Delivery;
      io.stdout.write(`${d.id}: ${d.status}\n`);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      refused++;
      io.stdout.write(`${id}: ${error.message}\n`);
    }
  }
  if (refused) throw new Error(`${refused} of ${ids.length} deliveries could not be ${action === 'retry' ? 'retried' : 'cancelled'}`);
}

type ListOptions = ApiOptions & { status?: string; destination?: string; eventType?: string; since?: string; until?: string; limit?: string; cursor?: string; json?: boolean };
type RetryOptions = ApiOptions & { destination?: string; since?: string; until?: string; status?: string; chunk: string };
type CancelOptions = ApiOptions & { destination?: string; event?: string; before?: string; chunk: string };

function chunkSize(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new Error('--chunk must be a whole number from 1 to 1000');
  return n;
}

export function registerDeliveriesCommands(program: Command, io: CliIo = { stdout: process.stdout, stderr: process.stderr, now: Date.now }): void {
  const withApi = (cmd: Command) =>
    cmd.option('--api-url <url>', 'Switchboard URL (or SWITCHBOARD_API_URL)').option('--api-key <key>', 'project API key (or SWITCHBOARD_API_KEY)');
  const deliveries = program.command('deliveries').description('The delivery queue: list, inspect, retry, cancel (see docs/deliveries.md)');

  withApi(
    deliveries
      .command('list')
      .description('List deliveries, newest first')
      .option('--status <list>', 'comma-separated: pending, held, sending, scheduled, sent, failed, dead, expired, cancelled')
      .option('--destination <id>', 'only this destination')
      .option('--event-type <type>', 'only this event type')
      .option('--since <when>', 'accepted at or after (ISO time, or 30m, 2h, 7d ago)')
      .option('--until <when>', 'accepted before')
      .option('--limit <n>', 'how many (1 to 200)', '50')
      .option('--cursor <cursor>', 'the next page, as printed by the previous one')
      .option('--json', 'print the JSON answer'),
  ).action(async (opts: ListOptions) => {
    const query = new URLSearchParams();
    const set = (key: string, value: string | undefined) => value !== undefined && query.set(key, value);
    set('status', opts.status);
    set('destination_id', opts.destination);
    set('event_type', opts.eventType);
    set('since', opts.since === undefined ? undefined : parseWhen(opts.since, io.now(), '--since'));
    set('until', opts.until === undefined ? undefined : parseWhen(opts.until, io.now(), '--until'));
    set('limit', opts.limit);
    set('cursor', opts.cursor);
    const page = (await callApi(opts, 'GET', `/v1/deliveries?${query}`)) as { deliveries: Delivery[]; next_cursor: string | null };
    if (opts.json) {
      io.stdout.write(`${JSON.stringify(page, null, 2)}\n`);
      return;
    }
    io.stdout.write(formatDeliveries(page.deliveries));
    if (page.next_cursor) io.stdout.write(`More: add --cursor ${page.next_cursor}\n`);
  });

  withApi(deliveries.command('show').description('Show one delivery with every attempt and Slack’s answers').argument('<delivery_id>')).action(
    async (id: string, opts: ApiOptions) => {
      io.stdout.write(`${JSON.stringify(await callApi(opts, 'GET', `/v1/deliveries/${encodeURIComponent(id)}`), null, 2)}\n`);
    },
  );

  withApi(
    deliveries
      .command('retry')
      .description('Send deliveries again: the ids given, or a destination’s dead-lettered ones accepted since a time. Each goes back to its old place in line.')
      .argument('[delivery_ids...]')
      .option('--destination <id>', 'bulk: this destination’s deliveries')
      .option('--since <when>', 'bulk: accepted at or after (ISO time, or 30m, 2h, 7d ago)')
      .option('--until <when>', 'bulk: accepted before')
      .option('--status <list>', 'bulk: which finished ones (dead, failed, expired, cancelled)', 'dead')
      .option('--chunk <n>', 'bulk: deliveries per request', String(CHUNK_SIZE)),
  ).action(async (ids: string[], opts: RetryOptions) => {
    if (ids.length) return eachId(ids, 'retry', opts, io);
    if (!opts.destination || !opts.since) throw new Error('Name delivery ids, or --destination and --since for a bulk retry');
    const body = {
      destination_id: opts.destination,
      since: parseWhen(opts.since, io.now(), '--since'),
      until: opts.until === undefined ? undefined : parseWhen(opts.until, io.now(), '--until'),
      statuses: opts.status?.split(',').map((s) => s.trim()).filter(Boolean),
    };
    const { done } = await runInChunks((b) => callApi(opts, 'POST', '/v1/deliveries/retry', b) as Promise<BulkAnswer>, body, 'retried', io.stderr, chunkSize(opts.chunk));
    io.stdout.write(done ? `Retried ${done} deliveries; they go out oldest first.\n` : 'Nothing to retry.\n');
  });

  withApi(
    deliveries
      .command('cancel')
      .description('Cancel deliveries still waiting: the ids given, or all matching --destination, --event and/or --before')
      .argument('[delivery_ids...]')
      .option('--destination <id>', 'bulk: this destination’s waiting deliveries')
      .option('--event <id>', 'bulk: this event’s waiting deliveries')
      .option('--before <when>', 'bulk: accepted before (ISO time, or 30m, 2h, 7d ago)')
      .option('--chunk <n>', 'bulk: deliveries per request', String(CHUNK_SIZE)),
  ).action(async (ids: string[], opts: CancelOptions) => {
    if (ids.length) return eachId(ids, 'cancel', opts, io);
    if (!opts.destination && !opts.event && !opts.before) throw new Error('Name delivery ids, or --destination, --event and/or --before for a bulk cancel');
    const body = { destination_id: opts.destination, event_id: opts.event, before: opts.before === undefined ? undefined : parseWhen(opts.before, io.now(), '--before') };
    const { done } = await runInChunks((b) => callApi(opts, 'POST', '/v1/deliveries/cancel', b) as Promise<BulkAnswer>, body, 'cancelled', io.stderr, chunkSize(opts.chunk));
    io.stdout.write(done ? `Cancelled ${done} deliveries.\n` : 'Nothing to cancel.\n');
  });

  withApi(
    deliveries
      .command('resume')
      .description('Send a destination’s messages waiting on a retry backoff now, in order (and lift a needs_attention hold)')
      .requiredOption('--destination <id>', 'the destination'),
  ).action(async (opts: ApiOptions & { destination: string }) => {
    const answer = (await callApi(opts, 'POST', `/v1/destinations/${encodeURIComponent(opts.destination)}/resume`)) as {
      destination: { id: string; status: string };
      hold_lifted: boolean;
      resumed: number;
    };
    const { id, status } = answer.destination;
    if (answer.hold_lifted) io.stdout.write(`${id} is active again; its held messages are tried now.\n`);
    io.stdout.write(answer.resumed ? `Resumed ${answer.resumed} deliveries of ${id}; they go out in order.\n` : `Nothing of ${id} was waiting on a retry.\n`);
    if (status !== 'active') io.stdout.write(`${id} is ${status}: nothing goes out until it is active.\n`);
  });
}
