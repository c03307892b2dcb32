/**
 * Runs a gateway in a child process for benchmarks, so the load generator does not share the
 * server's event loop. Prints one JSON line {"ready":true,"url":...,"apiKey":...} when it can
 * take traffic. Environment: DATABASE_URL (PostgreSQL) or SWITCHBOARD_DATA_DIR (PGlite),
 * BENCH_DESTINATIONS (webhook destinations to create, default 2), BENCH_WEBHOOK_ORIGIN.
 */
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../../src/config.ts';
import { createDestination } from '../../src/destinations/destination-store.ts';
import { createLogger } from '../../src/logging/create-logger.ts';
import { startGateway } from '../../src/main.ts';
import { createProject } from '../../src/projects/project-store.ts';

const origin = process.env.BENCH_WEBHOOK_ORIGIN ?? 'http://127.0.0.1:9';
const config = loadConfig({
  ...process.env,
  SWITCHBOARD_PORT: '0',
  SWITCHBOARD_ENCRYPTION_KEY: process.env.SWITCHBOARD_ENCRYPTION_KEY ?? randomBytes(32).toString('base64'),
  SWITCHBOARD_ALLOWED_WEBHOOK_ORIGINS: origin,
  SWITCHBOARD_LOG_LEVEL: 'warn',
});
const gateway = await startGateway(config, { logger: createLogger({ level: 'warn' }) });
const { project, apiKey } = await createProject(gateway.ctx.db, { name: 'bench' });
const destinations = Number(process.env.BENCH_DESTINATIONS ?? 2);
for (let i = 0; i < destinations; i++) {
  await createDestination(gateway.ctx.db, project.id,
    { name: `bench ${i}`, kind: 'webhook', webhook_url: `${origin}/services/T0BENCH/B0BENCH${i}/benchsecret${i}`, subscriptions: ['*'] },
    { keyring: gateway.ctx.keyring, allowedWebhookOrigins: [origin] });
}
process.stdout.write(`${JSON.stringify({ ready: true, url: gateway.url, apiKey: apiKey.key, projectId: project.id })}\n`);
process.on('SIGTERM', () => void gateway.close().then(() => process.exit(0)));
