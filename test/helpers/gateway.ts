/**
 * A gateway for tests: an isolated, migrated database of the given kind, the HTTP app built on it
 * (requests go through app.request(), no ports), an admin key, and helpers to create projects.
 * Logs are captured in memory so tests can search them for secrets.
 *
 * With `{ delivery: {} }` it also runs the delivery engine, wired as src/main.ts wires it:
 * ingest's commits and the queue operations wake a DeliverySignal, which wakes a DeliveryWorker
 * sending through the real transports (point config.slackApiUrl at an emulator). More workers
 * on the same database come from startWorker().
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { AppContext } from '../../src/app-context.ts';
import { ManualClock } from '../../src/clock.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import type { DatabaseKind } from '../../src/db/database.ts';
import { createHttpApp } from '../../src/http/create-http-app.ts';
import { DeliverySignal } from '../../src/delivery/delivery-signal.ts';
import { DeliveryWorker, type DeliveryWorkerDeps } from '../../src/delivery/delivery-worker.ts';
import { createTransports } from '../../src/main.ts';
import { ApiKeyCache } from '../../src/projects/api-key-cache.ts';
import { IngestBatcher } from '../../src/ingest/ingest-batcher.ts';
import { ProjectCatalog } from '../../src/ingest/project-catalog.ts';
import { createLogger } from '../../src/logging/create-logger.ts';
import { GatewayMetrics } from '../../src/metrics/gateway-metrics.ts';
import { instrumentTransports } from '../../src/metrics/instrument-transports.ts';
import { ensureAdminKey } from '../../src/projects/admin-key.ts';
import { getFreshBotToken } from '../../src/connections/get-fresh-bot-token.ts';
import { Keyring } from '../../src/secrets/keyring.ts';
import { createTestDatabase, type TestDatabase } from './databases.ts';

export interface TestGateway {
  ctx: AppContext;
  database: TestDatabase;
  app: ReturnType<typeof createHttpApp>;
  adminKey: string;
  logs: string[];
  clock: ManualClock;
  /** JSON request through the app; `key` defaults to the admin key. */
  call(method: string, path: string, options?: { key?: string; body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; body: any; headers: Headers }>;
  createProject(name?: string): Promise<{ id: string; key: string }>;
  /** Present with the delivery option: the wake-up signal and the worker started with the gateway. */
  signal?: DeliverySignal;
  worker?: DeliveryWorker;
  /** Starts one more delivery worker on this gateway's database (stopped by close()). */
  startWorker(overrides?: Partial<Omit<DeliveryWorkerDeps, 'db' | 'signal'>>): Promise<DeliveryWorker>;
  close(): Promise<void>;
}

export interface TestGatewayOptions {
  /** Seal secrets with this keyring (e.g. one a spawned process also gets) instead of a random one. */
  keyring?: Keyring;
  /** Run the delivery engine (see the top of this file). */
  delivery?: {
    /** Multiplies the retry schedule, e.g. 0.01 so a 5 s backoff takes 50 ms. */
    retryDelayScale?: number;
    /** Build the gateway without starting its worker (start workers with startWorker()). */
    noWorker?: boolean;
  };
}

export function testKeyring(): Keyring {
  return new Keyring([{ id: 'test1', key: randomBytes(32) }], 'test1');
}

export async function createTestGateway(kind: DatabaseKind, configOverrides: Partial<Config> = {}, options: TestGatewayOptions = {}): Promise<TestGateway> {
  const database = await createTestDatabase(kind);
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const clock = new ManualClock(Date.now());
  const config = { ...loadConfig({}), ...configOverrides };
  const catalog = new ProjectCatalog(database.db);
  await catalog.start(database.db);
  const apiKeys = new ApiKeyCache(database.db);
  await apiKeys.start();
  let signal: DeliverySignal | undefined;
  if (options.delivery) {
    signal = new DeliverySignal(database.db);
    await signal.start();
  }
  const ingest = new IngestBatcher(database.db, catalog, signal ? { onWritten: () => signal.ready() } : {});
  const metrics = new GatewayMetrics();
  database.db.onConnectionError?.(() => metrics.databaseError('connection'));
  const ctx: AppContext = { db: database.db, config, keyring: options.keyring ?? testKeyring(), logger: createLogger({ level: 'debug', destination: sink }), clock, catalog, apiKeys, ingest, transports: instrumentTransports(createTransports(config), metrics), metrics };
  if (signal) ctx.onDeliveriesChanged = () => signal.ready();
  const workers: DeliveryWorker[] = [];
  async function startWorker(overrides: Partial<Omit<DeliveryWorkerDeps, 'db' | 'signal'>> = {}): Promise<DeliveryWorker> {
    if (!signal) throw new Error('createTestGateway: pass { delivery: {} } to run delivery workers');
    const worker = new DeliveryWorker({
      db: database.db,
      signal,
      keyring: ctx.keyring,
      logger: ctx.logger,
      config: config.delivery,
      transports: ctx.transports,
      retryDelayScale: options.delivery?.retryDelayScale,
      // As src/main.ts: rotating tokens renewed before they expire, by the gateway's clock.
      botToken: (connectionId) => getFreshBotToken(ctx, connectionId),
      clock,
      metrics,
      ...overrides,
    });
    await worker.start();
    workers.push(worker);
    return worker;
  }
  const worker = options.delivery && !options.delivery.noWorker ? await startWorker() : undefined;
  const adminKey = `sb_admin_test_${randomBytes(8).toString('hex')}`;
  await ensureAdminKey(database.db, adminKey);
  const app = createHttpApp(ctx);

  async function call(method: string, path: string, options: { key?: string; body?: unknown; headers?: Record<string, string> } = {}) {
    const headers: Record<string, string> = { authorization: `Bearer ${options.key ?? adminKey}`, ...options.headers };
    let body: string | undefined;
    if (options.body !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    }
    const res = await app.request(path, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: parsed as any, headers: res.headers };
  }

  return {
    ctx,
    database,
    app,
    adminKey,
    logs,
    clock,
    call,
    async createProject(name = 'Test project') {
      const res = await call('POST', '/v1/projects', { body: { name } });
      if (res.status !== 201) throw new Error(`project creation failed: ${JSON.stringify(res.body)}`);
      return { id: res.body.project.id, key: res.body.api_key.key };
    },
    signal,
    worker,
    startWorker,
    async close() {
      for (const w of workers) await w.stop(1_000);
      await signal?.stop();
      await catalog.stop();
      await apiKeys.stop();
      await database.drop();
    },
  };
}
