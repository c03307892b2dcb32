/**
 * A configuration start-up will refuse is refused before anything is touched: no database opened
 * or migrated, no data folder created. Checked in process (startGateway) and through the CLI.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import type { Database } from '../../src/db/database.ts';
import { ConfigError } from '../../src/errors.ts';
import { startGateway } from '../../src/main.ts';
import { createTestDatabase, postgresTestUrl } from '../helpers/databases.ts';
import { runCli } from '../helpers/run-cli.ts';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'switchboard-config-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Tables, views, sequences and functions outside PostgreSQL's own schemas. */
async function userObjects(db: Database): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
              WHERE s.nspname NOT IN ('pg_catalog', 'information_schema') AND s.nspname NOT LIKE 'pg_toast%')
          + (SELECT count(*) FROM pg_proc p JOIN pg_namespace s ON s.oid = p.pronamespace
              WHERE s.nspname NOT IN ('pg_catalog', 'information_schema')) AS n`,
  );
  return Number(rows[0].n);
}

function expectOneLine(run: { code: number | null; stderr: string }, text: string) {
  expect(run.code).toBe(1);
  expect(run.stderr.trim().split('\n'), run.stderr).toHaveLength(1);
  expect(run.stderr).toContain(`switchboard: ${text}`);
}

describe('configuration checked before side effects', () => {
  it.skipIf(!postgresTestUrl)('PostgreSQL without an encryption key: a ConfigError, and the database stays empty', async () => {
    const database = await createTestDatabase('postgres', { migrate: false });
    const dataDir = join(root, 'postgres-data');
    try {
      expect(await userObjects(database.db)).toBe(0);
      const env = { DATABASE_URL: database.url!, SWITCHBOARD_DATA_DIR: dataDir, SWITCHBOARD_PORT: '0', SWITCHBOARD_LOG_LEVEL: 'silent' };
      const start = startGateway(loadConfig(env));
      await expect(start).rejects.toBeInstanceOf(ConfigError);
      await expect(start).rejects.toThrow(/^SWITCHBOARD_ENCRYPTION_KEY is missing: .*required with PostgreSQL/);

      const [cliStart, rotate] = await Promise.all([runCli(['start'], env), runCli(['keys', 'rotate'], env)]);
      expectOneLine(cliStart, 'SWITCHBOARD_ENCRYPTION_KEY is missing');
      expectOneLine(rotate, 'SWITCHBOARD_ENCRYPTION_KEY is missing');

      expect(await userObjects(database.db)).toBe(0);
      expect(existsSync(dataDir)).toBe(false);
    } finally {
      await database.drop();
    }
  }, 120_000);

  it('the embedded database with a too-short key: a ConfigError, and no data folder', async () => {
    const dataDir = join(root, 'embedded-data');
    const env = { SWITCHBOARD_ENCRYPTION_KEY: 'c2hvcnQta2V5', SWITCHBOARD_DATA_DIR: dataDir, SWITCHBOARD_PORT: '0', SWITCHBOARD_EMULATOR_PORT: '0', SWITCHBOARD_LOG_LEVEL: 'silent' };
    const start = startGateway(loadConfig(env));
    await expect(start).rejects.toBeInstanceOf(ConfigError);
    await expect(start).rejects.toThrow(/^SWITCHBOARD_ENCRYPTION_KEY is invalid \("the key is neither 64 hex digits nor base64 of 32 bytes"\)/);
    expect(existsSync(dataDir)).toBe(false);

    const runs = await Promise.all([runCli(['start'], env), runCli(['demo'], env), runCli(['keys', 'rotate'], env)]);
    for (const run of runs) expectOneLine(run, 'SWITCHBOARD_ENCRYPTION_KEY is invalid');
    expect(existsSync(dataDir)).toBe(false);
  }, 120_000);
});
