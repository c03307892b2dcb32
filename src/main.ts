/**
 * Wiring only: builds the gateway from configuration (database, migrations, keyring, admin key,
 * HTTP server) and returns a handle to stop it. `switchboard start` and `npm start` call this.
 */
import type { AppContext } from './app-context.ts';
import { systemClock, type Clock } from './clock.ts';
import type { Config } from './config.ts';
import { migrate } from './db/migrate.ts';
import { openDatabase } from './db/open-database.ts';
import { listenHttp } from './listen-http.ts';
import { createHttpApp } from './http/create-http-app.ts';
import { ApiKeyCache } from './projects/api-key-cache.ts';
import { DeliverySignal } from './delivery/delivery-signal.ts';
import { DeliveryWorker } from './delivery/delivery-worker.ts';
import { getFreshBotToken } from './connections/get-fresh-bot-token.ts';
import { WebApiTransport } from './slack/web-api-transport.ts';
import { WebhookTransport } from './slack/webhook-transport.ts';
import { IngestBatcher } from './ingest/ingest-batcher.ts';
import { ProjectCatalog } from './ingest/project-catalog.ts';
import { createLogger, type Logger } from './logging/create-logger.ts';
import { GatewayMetrics } from './metrics/gateway-metrics.ts';
import { instrumentTransports } from './metrics/instrument-transports.ts';
import { ensureAdminKey } from './projects/admin-key.ts';
import { keyringFromConfiguration, resolveKeyring } from './secrets/encryption-key-config.ts';
import { setDefaultRenderLimits } from './templates/render-budget.ts';

export function createTransports(config: Config, clock: Clock = systemClock): AppContext['transports'] {
  return {
    webhook: new WebhookTransport({ timeoutMs: config.delivery.sendTimeoutMs }),
    webApi: new WebApiTransport({ slackApiUrl: config.slackApiUrl, timeoutMs: config.delivery.sendTimeoutMs, clock }),
  };
}

export interface Gateway {
  ctx: AppContext;
  url: string;
  worker?: DeliveryWorker;
  /** Set when this start generated the admin key: shown once, never stored in plaintext. */
  generatedAdminKey?: string;
  close(): Promise<void>;
}

export async function startGateway(config: Config, options: { logger?: Logger; clock?: Clock } = {}): Promise<Gateway> {
  const logger = options.logger ?? createLogger({ level: config.logLevel, name: 'switchboard', format: config.logFormat });
  // Everything that can refuse the configuration is checked before anything is touched: no
  // database opened, no data folder created, no migration. (loadConfig checked the variables.)
  keyringFromConfiguration({ configuredKey: config.encryptionKey, embeddedDatabase: !config.databaseUrl });
  // With the embedded database this takes the data folder's lock, or refuses naming its holder.
  setDefaultRenderLimits(config.render);
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, holder: { kind: 'server', url: config.publicUrl }, timeouts: config.databaseTimeouts });
  const metrics = new GatewayMetrics();
  db.onConnectionError?.(() => metrics.databaseError('connection'));
  // What has started, stopped in reverse order by close() or when a later step fails (a port in use, say).
  const stops: Array<() => Promise<unknown>> = [() => db.close()];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => {});
  };
  try {
    const applied = await migrate(db);
    logger.info({ database: db.kind, applied }, applied.length ? 'database migrated' : 'database schema is current');

    const resolved = await resolveKeyring({ configuredKey: config.encryptionKey, embeddedDatabase: db.kind === 'pglite', dataDir: config.dataDir });
    if (resolved.keyFile?.created) {
      logger.warn({ path: resolved.keyFile.path }, 'generated an encryption key for secrets at rest (mode 0600); keep this file with the data folder, or set SWITCHBOARD_ENCRYPTION_KEY');
    } else if (resolved.keyFile?.permissionsTooOpen) {
      logger.warn({ path: resolved.keyFile.path }, 'the encryption key file can be read by other users: chmod 600 it');
    }

    const { generatedKey } = await ensureAdminKey(db, config.adminKey);
    const catalog = new ProjectCatalog(db);
    await catalog.start(db);
    stops.push(() => catalog.stop());
    const apiKeys = new ApiKeyCache(db);
    await apiKeys.start();
    stops.push(() => apiKeys.stop());
    const signal = new DeliverySignal(db);
    await signal.start();
    stops.push(() => signal.stop());
    const ingest = new IngestBatcher(db, catalog, { onWritten: () => signal.ready() });
    const ctx: AppContext = { db, config, keyring: resolved.keyring, logger, clock: options.clock ?? systemClock, catalog, apiKeys, ingest, transports: instrumentTransports(createTransports(config, options.clock ?? systemClock), metrics), onDeliveriesChanged: () => signal.ready(), metrics };
    const worker = config.delivery.enabled
      ? new DeliveryWorker({
          db,
          keyring: resolved.keyring,
          logger,
          config: config.delivery,
          signal,
          transports: ctx.transports,
          // Rotating tokens are renewed before they expire, once across every process.
          botToken: (connectionId) => getFreshBotToken({ db, keyring: resolved.keyring, clock: ctx.clock, logger, config }, connectionId),
          clock: ctx.clock,
          metrics,
        })
      : undefined;
    await worker?.start();
    if (worker) stops.push(() => worker.stop());
    const app = createHttpApp(ctx);

    const server = await listenHttp(app.fetch, config);
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = `http://${config.host}:${port}`;
    await db.dataFolderLock?.update({ kind: 'server', url });
    logger.info({ url, database: db.kind }, 'switchboard is listening');

    return {
      ctx,
      url,
      worker,
      generatedAdminKey: generatedKey,
      async close() {
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await stopAll();
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
