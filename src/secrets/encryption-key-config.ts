/**
 * Where the encryption keys come from. SWITCHBOARD_ENCRYPTION_KEY holds one key or a list for
 * rotation; with the embedded database and no key configured, a key file in the data directory
 * is created once and reused, so `npm start` works with nothing set up.
 *
 *   SWITCHBOARD_ENCRYPTION_KEY=<32 bytes as base64 or hex>             one key, id derived from it
 *   SWITCHBOARD_ENCRYPTION_KEY=2026-01:<key>                            one key with a chosen id
 *   SWITCHBOARD_ENCRYPTION_KEY=2026-06:<new key>,2026-01:<old key>      the first encrypts, all decrypt
 */
import { createHash, randomBytes } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { link, mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from '../errors.ts';
import { Keyring, type KeyringKey } from './keyring.ts';

export const ENCRYPTION_KEY_VARIABLE = 'SWITCHBOARD_ENCRYPTION_KEY';
export const KEY_FILE_NAME = 'encryption-key';

const EXPECTED =
  '32 random bytes as base64 or hex (e.g. from `openssl rand -base64 32`), optionally as <id>:<key>, ' +
  'or a comma-separated list <id1>:<key1>,<id2>:<key2> whose first key encrypts and whose others only decrypt';
const HEX_KEY = /^[0-9a-fA-F]{64}$/;
const BASE64_KEY = /^[A-Za-z0-9+/_-]+={0,2}$/;
const KEY_ID = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * Parses a key setting into a keyring. `source` names the variable or file in error messages;
 * errors describe what is wrong without repeating the key.
 */
export function parseEncryptionKey(value: string, source: string = ENCRYPTION_KEY_VARIABLE): Keyring {
  const entries = value.split(',').map((entry) => entry.trim());
  if (entries.length === 1 && entries[0] === '') throw new ConfigError(source, EXPECTED);
  const keys: KeyringKey[] = entries.map((entry, index) => parseEntry(entry, index + 1, entries.length, source));
  const seen = new Set<string>();
  for (const { id } of keys) {
    if (seen.has(id)) throw new ConfigError(source, EXPECTED, `key id '${id}' appears twice`);
    seen.add(id);
  }
  return new Keyring(keys, keys[0].id);
}

function parseEntry(entry: string, position: number, count: number, source: string): KeyringKey {
  const where = count > 1 ? `entry ${position}: ` : '';
  if (entry === '') throw new ConfigError(source, EXPECTED, `${where}empty (check for a stray comma)`);
  const colon = entry.indexOf(':');
  const id = colon === -1 ? undefined : entry.slice(0, colon).trim();
  const encoded = colon === -1 ? entry : entry.slice(colon + 1).trim();
  if (id !== undefined && !KEY_ID.test(id)) {
    throw new ConfigError(source, EXPECTED, `${where}the key id may only use letters, digits, '_', '-' and '.'`);
  }
  const key = decodeKey(encoded);
  if (!key) {
    throw new ConfigError(source, EXPECTED, `${where}the key is neither 64 hex digits nor base64 of 32 bytes`);
  }
  return { id: id ?? derivedKeyId(key), key };
}

function decodeKey(encoded: string): Buffer | undefined {
  if (HEX_KEY.test(encoded)) return Buffer.from(encoded, 'hex');
  if (!BASE64_KEY.test(encoded)) return undefined;
  const key = Buffer.from(encoded.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return key.length === 32 ? key : undefined;
}

/** A short, stable id for a key given without one: 'k' + 8 hex digits of its SHA-256. */
export function derivedKeyId(key: Buffer): string {
  return `k${createHash('sha256').update(key).digest('hex').slice(0, 8)}`;
}

export interface KeyFileResult {
  keyring: Keyring;
  /** True when this call generated the key (start-up should say so, and that the file must be kept). */
  created: boolean;
  path: string;
  /** True when an existing key file can be read by group or others; start-up should warn. */
  permissionsTooOpen: boolean;
}

/**
 * For the embedded database when no key is configured: reads `<dataDir>/encryption-key`, or creates
 * it (mode 0600) with a fresh random key. The file holds `<id>:<base64 key>` and accepts the same
 * list syntax as the variable, so a key can be rotated in place.
 */
export async function loadOrCreateKeyFile(dataDir: string): Promise<KeyFileResult> {
  const path = join(dataDir, KEY_FILE_NAME);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const existing = await readKeyFile(path);
  if (existing) return { ...existing, created: false, path };

  const key = randomBytes(32);
  const content = `${derivedKeyId(key)}:${key.toString('base64')}\n`;
  // Write a private temporary file, then link it into place: link fails if another process created
  // the key file first, and nobody ever reads a half-written key.
  const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temporary, content, { mode: 0o600, flag: fsConstants.O_CREAT | fsConstants.O_EXCL | fsConstants.O_WRONLY });
  try {
    await link(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const winner = await readKeyFile(path);
    if (winner) return { ...winner, created: false, path };
    throw error;
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
  return { keyring: parseEncryptionKey(content.trim(), path), created: true, path, permissionsTooOpen: false };
}

async function readKeyFile(path: string): Promise<{ keyring: Keyring; permissionsTooOpen: boolean } | undefined> {
  let content: string;
  try {
    content = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const { mode } = await stat(path);
  return { keyring: parseEncryptionKey(content.trim(), path), permissionsTooOpen: (mode & 0o077) !== 0 };
}

export interface ResolvedKeyring {
  keyring: Keyring;
  source: 'environment' | 'key-file';
  /** Set when the key came from (or was written to) a key file. */
  keyFile?: { path: string; created: boolean; permissionsTooOpen: boolean };
}

/**
 * The part of the decision that needs only the configuration, so start-up can check it before it
 * touches anything (no database opened, no folder created): the configured keyring; undefined when
 * the embedded key file is to be used; a ConfigError for a malformed key or PostgreSQL without one.
 */
export function keyringFromConfiguration(options: { configuredKey: string | undefined; embeddedDatabase: boolean }): Keyring | undefined {
  if (options.configuredKey !== undefined && options.configuredKey.trim() !== '') return parseEncryptionKey(options.configuredKey);
  if (!options.embeddedDatabase) {
    throw new ConfigError(
      ENCRYPTION_KEY_VARIABLE,
      `${EXPECTED}; it is required with PostgreSQL, where every Switchboard process must use the same keys`,
    );
  }
  return undefined;
}

/**
 * The start-up decision in one place: the variable when set; else, with the embedded database, the
 * key file; else (PostgreSQL, possibly shared by several processes that must agree on one key) an error.
 */
export async function resolveKeyring(options: {
  configuredKey: string | undefined;
  embeddedDatabase: boolean;
  dataDir: string;
}): Promise<ResolvedKeyring> {
  const configured = keyringFromConfiguration(options);
  if (configured) return { keyring: configured, source: 'environment' };
  const { keyring, ...keyFile } = await loadOrCreateKeyFile(options.dataDir);
  return { keyring, source: 'key-file', keyFile };
}
