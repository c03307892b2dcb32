import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.ts';
import { derivedKeyId, keyringFromConfiguration, loadOrCreateKeyFile, parseEncryptionKey, resolveKeyring } from './encryption-key-config.ts';

const key1 = randomBytes(32);
const key2 = randomBytes(32);
const secret = 'xoxb-emulator-T0001-0123456789abcdefghij';

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('parseEncryptionKey', () => {
  it.each([
    ['base64', key1.toString('base64')],
    ['base64 without padding', key1.toString('base64').replace(/=+$/, '')],
    ['base64url', key1.toString('base64url')],
    ['hex', key1.toString('hex')],
    ['upper-case hex', key1.toString('hex').toUpperCase()],
  ])('accepts one key as %s, with an id derived from the key', (_, value) => {
    const keyring = parseEncryptionKey(value);
    expect(keyring.activeKeyId).toBe(derivedKeyId(key1));
    expect(keyring.activeKeyId).toMatch(/^k[0-9a-f]{8}$/);
    // The same key however written gives the same id, so sealed values stay readable.
    expect(parseEncryptionKey(key1.toString('hex')).decrypt(keyring.encrypt(secret))).toBe(secret);
  });

  it('accepts id:key', () => {
    expect(parseEncryptionKey(`2026-01:${key1.toString('base64')}`).keyIds).toEqual(['2026-01']);
  });

  it('takes the first key of a list as active and keeps the others for decryption (rotation)', () => {
    const before = parseEncryptionKey(`old:${key1.toString('base64')}`);
    const sealedBefore = before.encrypt(secret);
    const after = parseEncryptionKey(` new:${key2.toString('hex')} , old:${key1.toString('base64')} `);
    expect(after.activeKeyId).toBe('new');
    expect(after.keyIds).toEqual(['new', 'old']);
    expect(after.decrypt(sealedBefore)).toBe(secret);
    expect(after.keyIdOf(after.encrypt(secret))).toBe('new');
  });

  it.each([
    ['', /is missing/],
    ['   ', /is missing/],
    ['not a key', /neither 64 hex digits nor base64 of 32 bytes/],
    [randomBytes(16).toString('base64'), /neither 64 hex digits nor base64 of 32 bytes/],
    [`a:${key1.toString('base64')},`, /entry 2: empty/],
    [`a:${key1.toString('base64')},b:short`, /entry 2: the key is neither/],
    [`a:${key1.toString('base64')},a:${key2.toString('base64')}`, /key id 'a' appears twice/],
    [`bad id:${key1.toString('base64')}`, /key id may only use/],
  ])('rejects %j with a message naming the variable', (value, message) => {
    const error = configError(() => parseEncryptionKey(value));
    expect(error.code).toBe('config_invalid');
    expect(error.message).toMatch(/^SWITCHBOARD_ENCRYPTION_KEY /);
    expect(error.message).toMatch(message);
    expect(error.details).toEqual({ variable: 'SWITCHBOARD_ENCRYPTION_KEY' });
  });

  it('never repeats key material in its errors', () => {
    const almost = randomBytes(31).toString('base64');
    const valid = key1.toString('base64');
    const error = configError(() => parseEncryptionKey(`a:${valid},b:${almost}`));
    expect(error.message).not.toContain(almost);
    expect(error.message).not.toContain(valid);
  });
});

describe('loadOrCreateKeyFile', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = join(await mkdtemp(join(tmpdir(), 'switchboard-keys-')), 'data');
  });
  afterEach(async () => {
    await rm(join(dataDir, '..'), { recursive: true, force: true });
  });

  it('creates a private key file on first use and reuses it afterwards', async () => {
    const first = await loadOrCreateKeyFile(dataDir);
    expect(first.created).toBe(true);
    expect(first.path).toBe(join(dataDir, 'encryption-key'));
    expect((await stat(first.path)).mode & 0o777).toBe(0o600);
    const sealed = first.keyring.encrypt(secret);

    const second = await loadOrCreateKeyFile(dataDir);
    expect(second.created).toBe(false);
    expect(second.permissionsTooOpen).toBe(false);
    expect(second.keyring.activeKeyId).toBe(first.keyring.activeKeyId);
    expect(second.keyring.decrypt(sealed)).toBe(secret);
  });

  it('gives concurrent first starts the same key', async () => {
    const results = await Promise.all([1, 2, 3, 4].map(() => loadOrCreateKeyFile(dataDir)));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const sealed = results[0].keyring.encrypt(secret);
    for (const result of results) expect(result.keyring.decrypt(sealed)).toBe(secret);
  });

  it('reads a rotated key list from the file', async () => {
    const { path, keyring } = await loadOrCreateKeyFile(dataDir);
    const sealed = keyring.encrypt(secret);
    const existing = (await readFile(path, 'utf8')).trim();
    await writeFile(path, `next:${key2.toString('base64')},${existing}\n`);
    const rotated = await loadOrCreateKeyFile(dataDir);
    expect(rotated.keyring.activeKeyId).toBe('next');
    expect(rotated.keyring.decrypt(sealed)).toBe(secret);
  });

  it('reports a key file that others can read', async () => {
    const { path } = await loadOrCreateKeyFile(dataDir);
    await chmod(path, 0o644);
    expect((await loadOrCreateKeyFile(dataDir)).permissionsTooOpen).toBe(true);
  });

  it('names the file when its content is not a key', async () => {
    const { path } = await loadOrCreateKeyFile(dataDir);
    await writeFile(path, 'garbage\n');
    await expect(loadOrCreateKeyFile(dataDir)).rejects.toThrow(new RegExp(`^${path} is invalid`));
  });
});

describe('keyringFromConfiguration', () => {
  it('decides from the configuration alone, before anything is opened', () => {
    expect(keyringFromConfiguration({ configuredKey: `env:${key1.toString('base64')}`, embeddedDatabase: false })?.activeKeyId).toBe('env');
    expect(keyringFromConfiguration({ configuredKey: undefined, embeddedDatabase: true })).toBeUndefined();
    expect(configError(() => keyringFromConfiguration({ configuredKey: undefined, embeddedDatabase: false })).message).toMatch(/^SWITCHBOARD_ENCRYPTION_KEY is missing: .*required with PostgreSQL/);
    expect(configError(() => keyringFromConfiguration({ configuredKey: 'short', embeddedDatabase: true })).message).toMatch(/^SWITCHBOARD_ENCRYPTION_KEY is invalid/);
  });
});

describe('resolveKeyring', () => {
  it('prefers the configured key', async () => {
    const resolved = await resolveKeyring({ configuredKey: `env:${key1.toString('base64')}`, embeddedDatabase: true, dataDir: '/nonexistent' });
    expect(resolved.source).toBe('environment');
    expect(resolved.keyring.activeKeyId).toBe('env');
    expect(resolved.keyFile).toBeUndefined();
  });

  it('requires a configured key with PostgreSQL', async () => {
    await expect(resolveKeyring({ configuredKey: undefined, embeddedDatabase: false, dataDir: '/nonexistent' })).rejects.toThrow(
      /SWITCHBOARD_ENCRYPTION_KEY is missing: .*required with PostgreSQL/,
    );
  });

  it('falls back to the key file with the embedded database', async () => {
    const root = await mkdtemp(join(tmpdir(), 'switchboard-keys-'));
    try {
      const resolved = await resolveKeyring({ configuredKey: '', embeddedDatabase: true, dataDir: root });
      expect(resolved.source).toBe('key-file');
      expect(resolved.keyFile).toEqual({ path: join(root, 'encryption-key'), created: true, permissionsTooOpen: false });
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
