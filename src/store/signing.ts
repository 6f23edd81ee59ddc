import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { sha256 } from '../core/hash';
import { fileError, InputError } from '../core/errors';

/**
 * Ed25519 signatures with the user's own key (node:crypto, no dependency): signed checkpoints of
 * `history prune` and signed evidence packs. Keys are PEM files (PKCS#8 private, SPKI public), as
 * `openssl genpkey -algorithm ed25519` or `trustscan evidence keygen` write them.
 */

export interface Signer {
  sign(text: string): { signature: string; publicKey: string };
  publicKey: string;
  keyId: string;
}

/** Short id of a public key: the first 16 hex digits of the SHA-256 of its PEM text. */
export function keyIdOf(publicKeyPem: string): string {
  return sha256(publicKeyPem.trim()).slice(0, 16);
}

function readPem(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw fileError(file, e);
  }
}

export function loadSigner(file: string): Signer {
  let key: KeyObject;
  try {
    key = createPrivateKey(readPem(file));
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw InputError.at({ file }, `not a PEM private key (${(e as Error).message})`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw InputError.at({ file }, `an Ed25519 private key is needed, this is a ${key.asymmetricKeyType} key`);
  const publicKey = createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString();
  return {
    publicKey,
    keyId: keyIdOf(publicKey),
    sign: (text) => ({ signature: sign(null, Buffer.from(text, 'utf8'), key).toString('base64'), publicKey }),
  };
}

export function loadPublicKey(file: string): string {
  const text = readPem(file);
  try {
    const key = createPublicKey(text);
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(`an Ed25519 key is needed, this is a ${key.asymmetricKeyType} key`);
    return key.export({ type: 'spki', format: 'pem' }).toString();
  } catch (e) {
    throw InputError.at({ file }, `not an Ed25519 public (or private) key in PEM: ${(e as Error).message}`);
  }
}

/** True when `signature` (base64) is `publicKey`'s Ed25519 signature of `text`. */
export function verifySignature(text: string, signature: string, publicKey: string): boolean {
  try {
    return verify(null, Buffer.from(text, 'utf8'), createPublicKey(publicKey), Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

export function generateKeyPair(): { privateKey: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}
