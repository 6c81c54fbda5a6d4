/**
 * The random values of a sign-in and a session: 256 bits written as
 * base64url, and the public id of a session, derived from its cookie token
 * so that listing a user's sessions never shows a value a browser could
 * present as a cookie.
 *
 * @module
 */

/** 32 random bytes as unpadded base64url: 43 characters. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/**
 * A new random value of 256 bits, as unpadded base64url.
 *
 * @returns 43 characters from the base64url alphabet.
 */
export function randomToken(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

/**
 * Whether a value has the shape of {@linkcode randomToken}'s values, checked
 * before a cookie or an id from a request is used as a store key.
 *
 * @param value Anything a request carried.
 * @returns `true` for 43 base64url characters.
 */
export function isRandomToken(value: unknown): value is string {
  return typeof value === "string" && TOKEN_PATTERN.test(value);
}

/**
 * The id of the session a cookie token names: the SHA-256 of the token, as
 * unpadded base64url. The store and the session lists know only the id;
 * only the browser holds the token.
 *
 * @param token The session cookie's value.
 * @returns The session's id (43 characters).
 */
export async function sessionIdOf(token: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token));
  return base64url(new Uint8Array(digest));
}

/**
 * Bytes as unpadded base64url.
 *
 * @param bytes The bytes.
 * @returns Their base64url text.
 */
export function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/**
 * Unpadded base64url back to bytes.
 *
 * @param text The base64url text.
 * @returns The bytes, or `null` when the text is not base64url.
 */
export function fromBase64url(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  try {
    const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
    return Uint8Array.from(binary, (char) => char.charCodeAt(0));
  } catch {
    return null;
  }
}
