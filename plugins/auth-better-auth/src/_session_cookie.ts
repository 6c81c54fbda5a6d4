/**
 * The session cookie a better-auth app sets: `<prefix>.session_token`
 * (`__Secure-<prefix>.session_token` on https) holding the URL-encoded
 * `<token>.<signature>`, where the signature is the standard base64 (with
 * padding) of HMAC-SHA256 of the token under the app's secret.
 *
 * @module
 */
import { timingSafeEqual } from "node:crypto";
import { parse, serialize } from "cookie";
import { cookieScope } from "@netscript/plugin-auth-core";

/** The prefix browsers only accept on a cookie set over https with `Secure`. */
const SECURE_PREFIX = "__Secure-";

/** A base64 HMAC-SHA256: 32 bytes, so 44 characters ending in `=`. */
const SIGNATURE_LENGTH = 44;

/** The cookies better-auth sets for a session, which signing out clears. */
const SESSION_COOKIES = ["session_token", "session_data", "dont_remember"] as const;

/** Why a request's session cookie was refused before any database lookup. */
export type CookieRefusal = "missing" | "malformed" | "bad-signature";

/** What {@linkcode SessionCookie.token} found: the verified token, or why there is none. */
export type CookieReading =
  | { readonly token: string }
  | { readonly token: null; readonly refusal: CookieRefusal };

/** Reads and verifies the session cookie of one better-auth app. */
export class SessionCookie {
  readonly #prefix: string;
  readonly #key: Promise<CryptoKey>;

  /**
   * @param secret The app's `BETTER_AUTH_SECRET`.
   * @param prefix The app's cookie prefix (`advanced.cookiePrefix`).
   */
  constructor(secret: string, prefix: string) {
    this.#prefix = prefix;
    this.#key = crypto.subtle.importKey(
      "raw",
      new TextEncoder().encode(secret),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign"],
    );
  }

  /**
   * The session token a request's cookie carries, once its signature is
   * checked. The `__Secure-` name is read on any request (only an https
   * page can have set it, and a proxy may terminate TLS); the plain name
   * only on a request that is not https, as better-auth sets it.
   *
   * @param request Any request.
   * @returns The token, or why there is none.
   */
  async token(request: Request): Promise<CookieReading> {
    const cookies = _cookies(request);
    const name = `${this.#prefix}.session_token`;
    const value = cookies[`${SECURE_PREFIX}${name}`] ??
      (cookieScope(request).secure ? undefined : cookies[name]);
    if (value === undefined || value === "") return { token: null, refusal: "missing" };
    const dot = value.lastIndexOf(".");
    const signature = value.slice(dot + 1);
    if (dot < 1 || signature.length !== SIGNATURE_LENGTH || !signature.endsWith("=")) {
      return { token: null, refusal: "malformed" };
    }
    const given = _base64Bytes(signature);
    if (given === null) return { token: null, refusal: "malformed" };
    const token = value.slice(0, dot);
    const expected = new Uint8Array(
      await crypto.subtle.sign("HMAC", await this.#key, new TextEncoder().encode(token)),
    );
    return given.length === expected.length && timingSafeEqual(given, expected)
      ? { token }
      : { token: null, refusal: "bad-signature" };
  }

  /**
   * The `Set-Cookie` values that end a session in the browser: the session
   * token under the name the request's scope gives it, and every better-auth
   * session cookie of this prefix the request carries (the cached session
   * data among them), each as it was set.
   *
   * @param request The signing-out request.
   * @returns The header values.
   */
  clearing(request: Request): string[] {
    const secure = cookieScope(request).secure;
    const names = new Set([`${secure ? SECURE_PREFIX : ""}${this.#prefix}.session_token`]);
    const own = new RegExp(
      `^(${SECURE_PREFIX})?${_escape(this.#prefix)}\\.(${SESSION_COOKIES.join("|")})(\\.\\d+)?$`,
    );
    for (const name of Object.keys(_cookies(request))) {
      if (own.test(name)) names.add(name);
    }
    return [...names].map((name) =>
      serialize(name, "", {
        maxAge: 0,
        path: "/",
        httpOnly: true,
        secure: secure || name.startsWith(SECURE_PREFIX),
        sameSite: "lax",
      })
    );
  }
}

function _cookies(request: Request): Record<string, string | undefined> {
  const header = request.headers.get("cookie");
  return header === null ? {} : parse(header);
}

function _base64Bytes(text: string): Uint8Array | null {
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    return null;
  }
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

function _escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
