/**
 * A plain Switchboard gateway in a child process for the delivery benchmark: configured entirely
 * by the environment (SWITCHBOARD_* as in production, e.g. SWITCHBOARD_DELIVERY=off to only
 * ingest), nothing created at start. Logs go to standard error; standard output carries
 * one JSON line {"ready":true,"url":…,"startedAt":…} where startedAt
 * (epoch ms, high resolution) is taken just before the gateway opens its database and starts its
 * delivery worker, so "time from start" covers opening the database, not loading Node modules.
 */
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logging/create-logger.ts';
import { startGateway } from '../../src/main.ts';

const config = loadConfig({ ...process.env, SWITCHBOARD_PORT: '0', SWITCHBOARD_LOG_LEVEL: process.env.SWITCHBOARD_LOG_LEVEL ?? 'warn' });
const startedAt = performance.timeOrigin + performance.now();
const gateway = await startGateway(config, { logger: createLogger({ level: config.logLevel, destination: process.stderr }) });
process.stdout.write(`${JSON.stringify({ ready: true, url: gateway.url, startedAt })}\n`);
process.on('SIGTERM', () => void gateway.close().then(() => process.exit(0)));
