/**
 * Signs a session token the way better-auth does, for tests that need a
 * cookie the app never issued: a forged one, or one for a database that
 * cannot be reached.
 *
 * @module
 */

/**
 * The cookie value better-auth would set for a token: URL-encoded
 * `<token>.<base64 HMAC-SHA256 of the token under the secret>`.
 *
 * @param token The session token.
 * @param secret The secret to sign with.
 * @returns The cookie's value.
 */
export async function signedCookieValue(token: string, secret: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const signature = new Uint8Array(
    await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(token)),
  );
  return encodeURIComponent(`${token}.${btoa(String.fromCharCode(...signature))}`);
}

/**
 * A random secret of 43 characters, as `openssl rand -base64 32` makes.
 *
 * @returns The secret.
 */
export function randomSecret(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32)))).replace(
    /=+$/,
    "",
  );
}
