/**
 * HMAC signatures over byte sequences, their text
 * encodings, and a constant-time comparison of received signatures.
 *
 * @module
 */
import { createHmac, timingSafeEqual } from "node:crypto";

/** A hash algorithm an HMAC signature may use. */
export type HmacAlgorithm = "SHA-1" | "SHA-256" | "SHA-512";

/** How a signature's bytes are written in a header. */
export type SignatureEncoding = "hex" | "base64";

const ENCODER = new TextEncoder();

/** The bytes of a text, or the bytes themselves. */
export function bytesOf(value: Uint8Array | string): Uint8Array {
  return typeof value === "string" ? ENCODER.encode(value) : value;
}

/** The names `node:crypto` gives the hash algorithms. */
const NODE_HASHES: Readonly<Record<HmacAlgorithm, string>> = {
  "SHA-1": "sha1",
  "SHA-256": "sha256",
  "SHA-512": "sha512",
};

/**
 * The HMAC of the concatenated parts under the key, computed with
 * `node:crypto` (Web Crypto's `importKey` and `sign` cost about twice as
 * much per webhook); a promise, as the schemes' `verify` and `sign*` are.
 */
export function hmacDigest(
  algorithm: HmacAlgorithm,
  key: Uint8Array,
  parts: readonly (Uint8Array | string)[],
): Promise<Uint8Array> {
  const hmac = createHmac(NODE_HASHES[algorithm], key);
  for (const part of parts) hmac.update(bytesOf(part));
  return Promise.resolve(new Uint8Array(hmac.digest()));
}

/** Writes bytes as lowercase hex or standard base64. */
export function encodeSignature(bytes: Uint8Array, encoding: SignatureEncoding): string {
  if (encoding === "hex") {
    return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
  }
  return btoa(String.fromCharCode(...bytes));
}

/** Reads standard base64, or `undefined` when the text is not base64. */
export function decodeBase64(text: string): Uint8Array | undefined {
  try {
    return Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
  } catch {
    return undefined;
  }
}

/**
 * Tells whether a received signature equals the expected one, in time that
 * does not depend on where they differ (hex compared case-insensitively).
 */
export function signatureMatches(
  received: string,
  expected: string,
  encoding: SignatureEncoding,
): boolean {
  const a = ENCODER.encode(encoding === "hex" ? received.toLowerCase() : received);
  const b = ENCODER.encode(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
