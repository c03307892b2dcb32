/**
 * The databases a benchmark runs Switchboard on, as the environment its child processes get: a
 * throwaway PostgreSQL database (BENCH_POSTGRES_URL) or a PGlite data folder in a temporary
 * directory. Both processes of a durable run (ingest, then delivery) share it, with one
 * encryption key, admin key and Slack API URL.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createBenchDatabase, postgresAvailable } from './postgres-bench-database.ts';

export const Engine = { postgres: 'postgres', pglite: 'pglite' } as const;
export type Engine = (typeof Engine)[keyof typeof Engine];

export interface BenchEngine {
  engine: Engine;
  adminKey: string;
  /** Environment for every gateway process of this run. */
  env: Record<string, string>;
  drop(): Promise<void>;
}

export async function engineAvailable(engine: Engine): Promise<boolean> {
  return engine === 'pglite' || (await postgresAvailable());
}

export async function createBenchEngine(engine: Engine, slackApiUrl: string): Promise<BenchEngine> {
  const adminKey = `sb_admin_bench_${randomBytes(8).toString('hex')}`;
  const common = {
    SWITCHBOARD_ADMIN_KEY: adminKey,
    SWITCHBOARD_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    SWITCHBOARD_SLACK_API_URL: slackApiUrl,
  };
  if (engine === 'postgres') {
    const db = await createBenchDatabase();
    return { engine, adminKey, env: { ...common, DATABASE_URL: db.url }, drop: () => db.drop() };
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'sb-delivery-bench-'));
  // DATABASE_URL emptied so a value inherited from the shell cannot turn this run into a PostgreSQL one.
  return { engine, adminKey, env: { ...common, SWITCHBOARD_DATA_DIR: dir, DATABASE_URL: '' }, drop: () => rm(dir, { recursive: true, force: true }) };
}
