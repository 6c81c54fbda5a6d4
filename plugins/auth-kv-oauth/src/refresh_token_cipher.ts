/**
 * Refresh tokens at rest: encrypted with AES-256-GCM under a key derived
 * from `AUTH_SECRET` with HKDF-SHA-256, and bound to their session (the
 * session id is the additional authenticated data), so a copy of the KV
 * file yields no usable token and a ciphertext moved to another session
 * does not decrypt.
 *
 * @module
 */
import { base64url, fromBase64url } from "./random_token.ts";

/** The HKDF salt: fixed, naming what the key is for. */
const SALT = new TextEncoder().encode("netscript/auth-kv-oauth");

/** The HKDF info of the refresh-token key. */
const INFO = new TextEncoder().encode("refresh-token/v1");

/** The prefix of what {@linkcode RefreshTokenCipher.seal} writes. */
const VERSION = "v1";

/** Encrypts and decrypts the refresh tokens of sessions. */
export class RefreshTokenCipher {
  readonly #key: Promise<CryptoKey>;

  /**
   * Derives the key; the secret itself is not kept.
   *
   * @param secret `AUTH_SECRET`, at least 32 characters.
   */
  constructor(secret: string) {
    this.#key = _deriveKey(secret);
  }

  /**
   * Encrypts a refresh token for one session.
   *
   * @param token The refresh token.
   * @param sessionId The session it belongs to.
   * @returns `v1.<iv>.<ciphertext>`, base64url.
   */
  async seal(token: string, sessionId: string): Promise<string> {
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const sealed = await crypto.subtle.encrypt(
      { name: "AES-GCM", iv, additionalData: new TextEncoder().encode(sessionId) },
      await this.#key,
      new TextEncoder().encode(token),
    );
    return `${VERSION}.${base64url(iv)}.${base64url(new Uint8Array(sealed))}`;
  }

  /**
   * Decrypts what {@linkcode RefreshTokenCipher.seal} wrote for the same
   * session.
   *
   * @param sealed The stored value.
   * @param sessionId The session it must belong to.
   * @returns The token, or `null` when it was sealed under another secret,
   * for another session, or altered.
   */
  async open(sealed: string, sessionId: string): Promise<string | null> {
    const [version, ivText, dataText, ...rest] = sealed.split(".");
    if (version !== VERSION || ivText === undefined || dataText === undefined || rest.length > 0) {
      return null;
    }
    const iv = fromBase64url(ivText);
    const data = fromBase64url(dataText);
    if (iv === null || iv.length !== 12 || data === null) return null;
    try {
      const plain = await crypto.subtle.decrypt(
        { name: "AES-GCM", iv, additionalData: new TextEncoder().encode(sessionId) },
        await this.#key,
        data,
      );
      return new TextDecoder().decode(plain);
    } catch (error) {
      // AES-GCM's authentication failed: another secret, another session, or altered bytes.
      if (error instanceof DOMException && error.name === "OperationError") return null;
      throw error;
    }
  }
}

async function _deriveKey(secret: string): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    "HKDF",
    false,
    ["deriveKey"],
  );
  return await crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: SALT, info: INFO },
    material,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
}
