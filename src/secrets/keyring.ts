/**
 * Secrets at rest (bot tokens, refresh tokens, webhook URLs): AES-256-GCM under a named key.
 * A sealed value names the key that sealed it, so keys can rotate: the keyring encrypts with its
 * active key and still decrypts with every older key it holds.
 *
 *   sbenc:v1:<keyId>:<iv b64url>:<tag b64url>:<ciphertext b64url>
 *
 * The header `sbenc:v1:<keyId>` is authenticated too (GCM additional data), so a value cannot be
 * relabelled with another key id without failing the tag check.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { SwitchboardError } from '../errors.ts';

export interface KeyringKey {
  /** Letters, digits, `_`, `-` and `.` (it is written into every sealed value). */
  id: string;
  /** 32 bytes. */
  key: Buffer;
}

export const SEALED_PREFIX = 'sbenc:v1:';
const KEY_ID = /^[A-Za-z0-9_.-]{1,64}$/;
const B64URL = /^[A-Za-z0-9_-]*$/;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

interface SealedParts {
  keyId: string;
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
}

/** True when the value has the shape of a sealed secret (it may still fail to decrypt). */
export function isSealedSecret(value: string): boolean {
  return parseSealed(value) !== undefined;
}

export class Keyring {
  readonly #keys: ReadonlyMap<string, Buffer>;
  readonly activeKeyId: string;

  constructor(keys: readonly KeyringKey[], activeKeyId: string) {
    const map = new Map<string, Buffer>();
    for (const { id, key } of keys) {
      if (!KEY_ID.test(id)) throw keyringError(`key id ${JSON.stringify(id)} may only use letters, digits, '_', '-' and '.' (1 to 64 of them)`);
      if (!Buffer.isBuffer(key) || key.length !== KEY_BYTES) {
        throw keyringError(`key '${id}' must be exactly ${KEY_BYTES} bytes (AES-256)`);
      }
      if (map.has(id)) throw keyringError(`key id '${id}' appears twice`);
      // Copy, so later changes to the caller's buffer cannot change the key.
      map.set(id, Buffer.from(key));
    }
    if (!map.has(activeKeyId)) throw keyringError(`the active key '${activeKeyId}' is not among the keys`);
    this.#keys = map;
    this.activeKeyId = activeKeyId;
  }

  /** Ids of every key this keyring can decrypt with, the active one first. */
  get keyIds(): string[] {
    return [this.activeKeyId, ...[...this.#keys.keys()].filter((id) => id !== this.activeKeyId)];
  }

  /** Seals the text with the active key and a fresh random 12-byte IV. */
  encrypt(plaintext: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#keys.get(this.activeKeyId) as Buffer, iv);
    cipher.setAAD(header(this.activeKeyId));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return `${SEALED_PREFIX}${this.activeKeyId}:${b64url(iv)}:${b64url(tag)}:${b64url(ciphertext)}`;
  }

  /**
   * Opens a sealed value. Throws SwitchboardError `secret_undecryptable` (details.keyId) when the
   * value is malformed, its key is not in this keyring, or the tag does not verify (wrong key or
   * tampering). Messages never contain the secret.
   */
  decrypt(sealed: string): string {
    const parts = parseSealed(sealed);
    if (!parts) {
      throw new SwitchboardError('secret_undecryptable', `the stored value is not a sealed secret (expected ${SEALED_PREFIX}<keyId>:...)`);
    }
    const key = this.#keys.get(parts.keyId);
    if (!key) {
      throw new SwitchboardError(
        'secret_undecryptable',
        `cannot decrypt a secret sealed with key '${parts.keyId}': that key is not configured (keep it after the active key, in SWITCHBOARD_ENCRYPTION_KEY or the key file, until every secret is re-encrypted)`,
        { keyId: parts.keyId },
      );
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, parts.iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(header(parts.keyId));
      decipher.setAuthTag(parts.tag);
      return Buffer.concat([decipher.update(parts.ciphertext), decipher.final()]).toString('utf8');
    } catch {
      throw new SwitchboardError(
        'secret_undecryptable',
        `cannot decrypt a secret sealed with key '${parts.keyId}': the authentication tag does not match (a different key with that id, or the value was altered)`,
        { keyId: parts.keyId },
      );
    }
  }

  /** The id of the key that sealed the value; throws `secret_undecryptable` when it is not a sealed value. */
  keyIdOf(sealed: string): string {
    const parts = parseSealed(sealed);
    if (!parts) throw new SwitchboardError('secret_undecryptable', `the stored value is not a sealed secret (expected ${SEALED_PREFIX}<keyId>:...)`);
    return parts.keyId;
  }

  /** False for values sealed with an older key (they need re-encrypting) and for malformed values. */
  isSealedWithActiveKey(sealed: string): boolean {
    return parseSealed(sealed)?.keyId === this.activeKeyId;
  }

  /** Re-encrypts with the active key when the value was sealed with another; otherwise returns it unchanged. */
  reseal(sealed: string): string {
    return this.isSealedWithActiveKey(sealed) ? sealed : this.encrypt(this.decrypt(sealed));
  }

  /** A keyring that encrypts with `key` and still decrypts with every key of this one. */
  withNewActiveKey(key: KeyringKey): Keyring {
    const existing = this.#keys.get(key.id);
    if (existing && !(Buffer.isBuffer(key.key) && existing.equals(key.key))) {
      throw keyringError(`key id '${key.id}' is already used by a different key`);
    }
    const others = [...this.#keys].filter(([id]) => id !== key.id).map(([id, k]) => ({ id, key: k }));
    return new Keyring([key, ...others], key.id);
  }

  /** Keeps key material out of JSON.stringify and util.inspect. */
  toJSON(): { activeKeyId: string; keyIds: string[] } {
    return { activeKeyId: this.activeKeyId, keyIds: this.keyIds };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `Keyring { activeKeyId: '${this.activeKeyId}', keyIds: [${this.keyIds.map((id) => `'${id}'`).join(', ')}] }`;
  }
}

function parseSealed(value: string): SealedParts | undefined {
  if (typeof value !== 'string' || !value.startsWith(SEALED_PREFIX)) return undefined;
  const fields = value.slice(SEALED_PREFIX.length).split(':');
  if (fields.length !== 4) return undefined;
  const [keyId, iv, tag, ciphertext] = fields;
  if (!KEY_ID.test(keyId) || !B64URL.test(iv) || !B64URL.test(tag) || !B64URL.test(ciphertext)) return undefined;
  const parts = {
    keyId,
    iv: Buffer.from(iv, 'base64url'),
    tag: Buffer.from(tag, 'base64url'),
    ciphertext: Buffer.from(ciphertext, 'base64url'),
  };
  if (parts.iv.length !== IV_BYTES || parts.tag.length !== TAG_BYTES) return undefined;
  return parts;
}

function header(keyId: string): Buffer {
  return Buffer.from(`${SEALED_PREFIX}${keyId}`, 'utf8');
}

function b64url(bytes: Buffer): string {
  return bytes.toString('base64url');
}

function keyringError(message: string): SwitchboardError {
  return new SwitchboardError('keyring_invalid', message);
}
