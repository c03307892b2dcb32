/**
 * `switchboard deliveries` against a gateway served over HTTP in this process: the listing an
 * operator reads, bulk retry and cancel in chunks with a progress bar that tracks real work, and
 * refusals reported per id. One run as a real process, since the exit code is part of the contract.
 */
import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseWhen, progressBar, registerDeliveriesCommands, type CliIo } from '../../src/cli/commands/deliveries.ts';
import { databaseKinds } from '../helpers/databases.ts';
import { createTestGateway, type TestGateway } from '../helpers/gateway.ts';
import { projectWithEventType, sendNumbered, setStatus, storedStatus, webhookDestination, type Project } from './delivery-fixtures.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ORIGIN = 'http://127.0.0.1:3999';

describe('deliveries CLI helpers', () => {
  it('reads times as ISO or as a time ago', () => {
    const now = Date.parse('2026-11-25T12:00:00Z');
    expect(parseWhen('2h', now, '--since')).toBe('2026-11-25T10:00:00.000Z');
    expect(parseWhen('7d', now, '--since')).toBe('2026-11-18T12:00:00.000Z');
    expect(parseWhen('2026-11-01T08:30:00+01:00', now, '--since')).toBe('2026-11-01T07:30:00.000Z');
    expect(() => parseWhen('last tuesday', now, '--since')).toThrow('--since must be a time');
  });

  it('draws a progress bar of the work done', () => {
    expect(progressBar(0, 4, 'retried', 8)).toBe('[░░░░░░░░]   0% 0/4 retried');
    expect(progressBar(1, 4, 'retried', 8)).toBe('[██░░░░░░]  25% 1/4 retried');
    expect(progressBar(4, 4, 'retried', 8)).toBe('[████████] 100% 4/4 retried');
    expect(progressBar(0, 0, 'cancelled', 4)).toBe('[████] 100% 0/0 cancelled');
  });
});

describe.each(databaseKinds)('switchboard deliveries on %s', (kind) => {
  let gw: TestGateway;
  let server: ServerType;
  let url: string;
  let project: Project;
  let destination: string;
  let ids: string[];

  beforeAll(async () => {
    gw = await createTestGateway(kind, { allowedWebhookOrigins: [ORIGIN] });
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: gw.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    project = await projectWithEventType(gw);
    destination = await webhookDestination(gw, project, 'ops alerts', `${ORIGIN}/services/T0A/B0A/secretcli`);
    ids = (await sendNumbered(gw, project, 1, 250)).get(destination)!;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    await gw?.close();
  });

  async function run(args: string[], tty = false): Promise<{ stdout: string; stderr: string; error?: Error }> {
    let stdout = '';
    let stderr = '';
    const io: CliIo = {
      stdout: { write: (t: string) => (stdout += t) },
      stderr: { write: (t: string) => (stderr += t), isTTY: tty },
      now: () => Date.now(),
    };
    const program = new Command().exitOverride();
    registerDeliveriesCommands(program, io);
    try {
      await program.parseAsync(['deliveries', ...args, '--api-url', url, '--api-key', project.key], { from: 'user' });
      return { stdout, stderr };
    } catch (error) {
      return { stdout, stderr, error: error as Error };
    }
  }

  it('lists deliveries as a table, filtered, with the next page’s cursor', async () => {
    await setStatus(gw, ids[249], 'dead', { lastError: 'http_503' });
    const dead = await run(['list', '--status', 'dead', '--since', '1h']);
    expect(dead.error).toBeUndefined();
    const lines = dead.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^ID\s+STATUS\s+DESTINATION\s+EVENT TYPE\s+TRIES\s+ACCEPTED \(UTC\)\s+NOTE$/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(new RegExp(`^${ids[249]}\\s+dead\\s+ops alerts\\s+ops\\.numbered\\s+1\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\s+http_503$`));

    const first = await run(['list', '--limit', '2']);
    const firstLines = first.stdout.trim().split('\n');
    expect(firstLines).toHaveLength(4);
    const cursor = /^More: add --cursor (\S+)$/.exec(firstLines[3])?.[1];
    expect(cursor).toBeTruthy();
    const next = await run(['list', '--limit', '2', '--cursor', cursor!, '--json']);
    const page = JSON.parse(next.stdout);
    expect(page.deliveries).toHaveLength(2);
    const shown = firstLines.slice(1, 3).map((l) => l.split(/\s+/)[0]);
    for (const d of page.deliveries) expect(shown).not.toContain(d.id);

    const none = await run(['list', '--status', 'expired']);
    expect(none.stdout).toBe('No deliveries match.\n');
    await setStatus(gw, ids[249], 'pending');
  });

  it('retries a destination’s dead deliveries in chunks, with progress that follows the work', async () => {
    await gw.ctx.db.query(`UPDATE deliveries SET status = 'dead', last_error = 'http_503' WHERE destination_id = $1`, [destination]);
    const out = await run(['retry', '--destination', destination, '--since', '1d', '--chunk', '100']);
    expect(out.error).toBeUndefined();
    expect(out.stderr.trim().split('\n').map((l) => l.replace(/^\[[█░]+\]\s*/, ''))).toEqual(['40% 100/250 retried', '80% 200/250 retried', '100% 250/250 retried']);
    expect(out.stdout).toBe('Retried 250 deliveries; they go out oldest first.\n');
    const { rows } = await gw.ctx.db.query<{ status: string; n: number }>(
      'SELECT status, count(*)::int AS n FROM deliveries WHERE destination_id = $1 GROUP BY status',
      [destination],
    );
    expect(rows).toEqual([{ status: 'pending', n: 250 }]);

    const again = await run(['retry', '--destination', destination, '--since', '1d'], true);
    expect(again.stdout).toBe('Nothing to retry.\n');
    expect(again.stderr).toBe(`\r${progressBar(0, 0, 'retried')}\n`);
  });

  it('retries by id, reporting each refusal and failing overall', async () => {
    await setStatus(gw, ids[0], 'dead');
    await setStatus(gw, ids[1], 'sent');
    const out = await run(['retry', ids[0], ids[1]]);
    expect(out.stdout).toContain(`${ids[0]}: pending`);
    expect(out.stdout).toContain(`${ids[1]}: 409 delivery_not_retryable: Delivery ${ids[1]} was already sent`);
    expect(out.error?.message).toBe('1 of 2 deliveries could not be retried');
    expect((await storedStatus(gw, ids[0])).status).toBe('pending');
  });

  it('cancels waiting deliveries in bulk, and asks what to cancel when told nothing', async () => {
    const out = await run(['cancel', '--destination', destination, '--chunk', '200']);
    expect(out.error).toBeUndefined();
    expect(out.stderr.trim().split('\n').map((l) => l.replace(/^\[[█░]+\]\s*/, ''))).toEqual(['80% 200/249 cancelled', '100% 249/249 cancelled']);
    expect(out.stdout).toBe('Cancelled 249 deliveries.\n');
    const nothing = await run(['cancel']);
    expect(nothing.error?.message).toContain('--destination, --event and/or --before');
  });

  it('runs as a process: prints the listing, and exits 1 with the reason on a bad option', async () => {
    const exec = (args: string[]) =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'deliveries', ...args, '--api-url', url, '--api-key', project.key], {
          cwd: ROOT,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        child.stdout.on('data', (c) => (out += c));
        child.stderr.on('data', (c) => (out += c));
        child.on('exit', (code) => resolve({ code, out }));
      });
    const ok = await exec(['list', '--status', 'cancelled', '--limit', '1']);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/^ID\s+STATUS/);
    expect(ok.out).toContain('cancelled');
    const bad = await exec(['list', '--since', 'soon']);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('switchboard: --since must be a time');
  });
});
