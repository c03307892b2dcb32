/**
 * What the gateway's parts share at run time, built once in src/main.ts (or by a test): the
 * database, configuration, the keyring that seals secrets, the logger and the clock.
 */
import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import type { Logger } from './logging/create-logger.ts';
import type { Keyring } from './secrets/keyring.ts';

export interface AppContext {
  db: Database;
  config: Config;
  keyring: Keyring;
  logger: Logger;
  clock: Clock;
}
