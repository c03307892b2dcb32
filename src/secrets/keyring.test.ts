import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { SwitchboardError } from '../errors.ts';
import { isSealedSecret, Keyring } from './keyring.ts';

const keyA = { id: 'a', key: randomBytes(32) };
const keyB = { id: 'b', key: randomBytes(32) };
const token = 'xoxb-emulator-T0001-0123456789abcdefghij';

function failure(fn: () => unknown): SwitchboardError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(SwitchboardError);
    return error as SwitchboardError;
  }
  throw new Error('expected a failure');
}

/** Flips one bit of the decoded field at `index` (3 = iv, 4 = tag, 5 = ciphertext) and re-encodes it. */
function tamper(sealed: string, index: number): string {
  const fields = sealed.split(':');
  const bytes = Buffer.from(fields[index], 'base64url');
  bytes[0] ^= 0x01;
  fields[index] = bytes.toString('base64url');
  return fields.join(':');
}

describe('Keyring', () => {
  it('round-trips text, including empty and non-ASCII text', () => {
    const keyring = new Keyring([keyA], 'a');
    for (const text of [token, '', 'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXX', 'ünïcødé ✅']) {
      expect(keyring.decrypt(keyring.encrypt(text))).toBe(text);
    }
  });

  it('writes a self-describing value that does not contain the secret, with a fresh IV each time', () => {
    const keyring = new Keyring([keyA], 'a');
    const first = keyring.encrypt(token);
    const second = keyring.encrypt(token);
    expect(first).toMatch(/^sbenc:v1:a:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]+$/);
    expect(first).not.toContain(token);
    expect(first).not.toBe(second);
    expect(keyring.keyIdOf(first)).toBe('a');
    expect(isSealedSecret(first)).toBe(true);
    expect(isSealedSecret(token)).toBe(false);
  });

  it.each([
    ['iv', 3],
    ['tag', 4],
    ['ciphertext', 5],
  ])('detects a tampered %s', (_, index) => {
    const keyring = new Keyring([keyA], 'a');
    const error = failure(() => keyring.decrypt(tamper(keyring.encrypt(token), index)));
    expect(error.code).toBe('secret_undecryptable');
    expect(error.message).toContain("key 'a'");
    expect(error.message).not.toContain(token);
  });

  it('refuses a value relabelled with another key id, even when that key exists', () => {
    const keyring = new Keyring([keyA, { id: 'b', key: keyA.key }], 'a');
    const relabelled = keyring.encrypt(token).replace('sbenc:v1:a:', 'sbenc:v1:b:');
    expect(failure(() => keyring.decrypt(relabelled)).code).toBe('secret_undecryptable');
  });

  it('names the key when it holds a different key under the same id', () => {
    const sealed = new Keyring([keyA], 'a').encrypt(token);
    const impostor = new Keyring([{ id: 'a', key: randomBytes(32) }], 'a');
    const error = failure(() => impostor.decrypt(sealed));
    expect(error.code).toBe('secret_undecryptable');
    expect(error.details).toEqual({ keyId: 'a' });
    expect(error.message).toMatch(/authentication tag does not match/);
  });

  it('names the missing key when the value was sealed with a key it does not hold', () => {
    const sealed = new Keyring([keyB], 'b').encrypt(token);
    const error = failure(() => new Keyring([keyA], 'a').decrypt(sealed));
    expect(error.code).toBe('secret_undecryptable');
    expect(error.details).toEqual({ keyId: 'b' });
    expect(error.message).toMatch(/key 'b': that key is not configured/);
  });

  it('rejects values that are not sealed secrets', () => {
    const keyring = new Keyring([keyA], 'a');
    for (const value of [token, 'sbenc:v1:a:abc', 'sbenc:v1:a:!!:!!:!!', 'sbenc:v2:a:AAAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAA:AA']) {
      expect(failure(() => keyring.decrypt(value)).code).toBe('secret_undecryptable');
      expect(keyring.isSealedWithActiveKey(value)).toBe(false);
    }
    expect(failure(() => keyring.keyIdOf(token)).code).toBe('secret_undecryptable');
  });

  it('rotates: after a new active key, old values still decrypt and new ones use the new key', () => {
    const old = new Keyring([keyA], 'a');
    const sealedOld = old.encrypt(token);
    const rotated = old.withNewActiveKey(keyB);
    expect(rotated.activeKeyId).toBe('b');
    expect(rotated.keyIds).toEqual(['b', 'a']);
    expect(rotated.decrypt(sealedOld)).toBe(token);
    expect(rotated.isSealedWithActiveKey(sealedOld)).toBe(false);

    const sealedNew = rotated.encrypt(token);
    expect(rotated.keyIdOf(sealedNew)).toBe('b');
    expect(rotated.isSealedWithActiveKey(sealedNew)).toBe(true);
    // The old keyring is unchanged and cannot read what the new key sealed.
    expect(old.activeKeyId).toBe('a');
    expect(failure(() => old.decrypt(sealedNew)).details).toEqual({ keyId: 'b' });

    const resealed = rotated.reseal(sealedOld);
    expect(rotated.keyIdOf(resealed)).toBe('b');
    expect(rotated.decrypt(resealed)).toBe(token);
    expect(rotated.reseal(sealedNew)).toBe(sealedNew);
  });

  it('refuses to reuse a key id for a different key when rotating', () => {
    const keyring = new Keyring([keyA, keyB], 'a');
    expect(failure(() => keyring.withNewActiveKey({ id: 'b', key: randomBytes(32) })).code).toBe('keyring_invalid');
    expect(keyring.withNewActiveKey(keyB).activeKeyId).toBe('b');
  });

  it('validates its keys', () => {
    expect(failure(() => new Keyring([{ id: 'a', key: randomBytes(16) }], 'a')).message).toMatch(/exactly 32 bytes/);
    expect(failure(() => new Keyring([keyA, { ...keyB, id: 'a' }], 'a')).message).toMatch(/appears twice/);
    expect(failure(() => new Keyring([{ ...keyA, id: 'has:colon' }], 'has:colon')).message).toMatch(/may only use/);
    expect(failure(() => new Keyring([keyA], 'b')).message).toMatch(/active key 'b' is not among/);
  });

  it('never shows key material when printed or serialised', () => {
    const keyring = new Keyring([keyA, keyB], 'a');
    const shown = `${inspect(keyring, { showHidden: true, depth: 5 })} ${JSON.stringify(keyring)}`;
    expect(shown).toContain("'a'");
    for (const { key } of [keyA, keyB]) {
      expect(shown).not.toContain(key.toString('hex'));
      expect(shown).not.toContain(key.toString('base64'));
    }
  });
});
