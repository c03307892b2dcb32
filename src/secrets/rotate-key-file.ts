/**
 * Key rotation for the embedded default, where the key lives in <dataDir>/encryption-key: put a
 * fresh key first in the file (it encrypts; the old ones still decrypt), and once every secret is
 * resealed, drop the old keys.
 */
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { derivedKeyId, loadOrCreateKeyFile, parseEncryptionKey } from './encryption-key-config.ts';
import type { Keyring } from './keyring.ts';

export async function startKeyFileRotation(dataDir: string): Promise<{ keyring: Keyring; path: string; finish(): Promise<void> }> {
  const { path } = await loadOrCreateKeyFile(dataDir);
  const old = (await readFile(path, 'utf8')).trim();
  const key = randomBytes(32);
  const newEntry = `${derivedKeyId(key)}:${key.toString('base64')}`;
  await writeFile(path, `${newEntry},${old}\n`, { mode: 0o600 });
  return {
    keyring: parseEncryptionKey(`${newEntry},${old}`, path),
    path,
    finish: () => writeFile(path, `${newEntry}\n`, { mode: 0o600 }),
  };
}
