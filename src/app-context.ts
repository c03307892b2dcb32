/**
 * What the gateway's parts share at run time, built once in src/main.ts (or by a test): the
 * database, configuration, the keyring that seals secrets, the logger, the clock and ingest's project cache.
 */
import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import type { IngestBatcher } from './ingest/ingest-batcher.ts';
import type { ProjectCatalog } from './ingest/project-catalog.ts';
import type { Logger } from './logging/create-logger.ts';
import type { GatewayMetrics } from './metrics/gateway-metrics.ts';
import type { ApiKeyCache } from './projects/api-key-cache.ts';
import type { Keyring } from './secrets/keyring.ts';
import type { SlackTransport } from './slack/slack-transport.ts';

export interface AppContext {
  db: Database;
  config: Config;
  keyring: Keyring;
  logger: Logger;
  clock: Clock;
  /** Per-project routing facts cached for ingest (see project-catalog.ts). */
  catalog: ProjectCatalog;
  /** API key → project, cached for authentication (see api-key-cache.ts). */
  apiKeys: ApiKeyCache;
  /** Writes accepted events, grouping concurrent requests into one commit. */
  ingest: IngestBatcher;
  /** How messages reach Slack (the delivery engine and test messages use the same ones). */
  transports: { webhook: SlackTransport; webApi: SlackTransport };
  /** Wakes the delivery workers after the queue changed outside ingest (a retry, a cancel, a fixed destination). */
  onDeliveriesChanged?: () => void;
  /** The Prometheus registry behind GET /metrics (src/metrics/); absent in contexts built without it. */
  metrics?: GatewayMetrics;
}
