/**
 * The sealed session cookie AuthKit's sign-in sets (`wos-session` unless
 * renamed): read under its exact name, and set again or cleared with the
 * attributes AuthKit gives it. It takes no `__Host-` prefix, unlike the
 * cookies of `@netscript/plugin-auth-core`: AuthKit names it, and this
 * backend only reads and renews what AuthKit made.
 *
 * @module
 */
import { parse, serialize } from "cookie";

/** Where the session cookie lives and how long a browser keeps it. */
export interface SessionCookieSettings {
  /** The cookie's name, e.g. `wos-session`. */
  readonly name: string;
  /** The `Domain` attribute AuthKit sets it with, if any. */
  readonly domain: string | undefined;
  /** How long a browser keeps a renewed cookie, in seconds. */
  readonly maxAgeSeconds: number;
}

/**
 * The session cookie a request carries.
 *
 * @param request The request.
 * @param name The cookie's name.
 * @returns Its value, or `null` when absent or empty.
 */
export function readSessionCookie(request: Request, name: string): string | null {
  const header = request.headers.get("cookie");
  if (header === null) return null;
  const value = parse(header)[name];
  return value === undefined || value === "" ? null : value;
}

/**
 * A `Set-Cookie` value holding a sealed session: `HttpOnly`, `SameSite=Lax`,
 * `Path=/`, and `Secure` when the request came over https.
 *
 * @param request The request being answered (its scheme decides `Secure`).
 * @param settings The cookie's name, domain and lifetime.
 * @param sealed The sealed session.
 * @returns The header value.
 */
export function sessionSetCookie(
  request: Request,
  settings: SessionCookieSettings,
  sealed: string,
): string {
  return _serialize(request, settings, sealed, settings.maxAgeSeconds);
}

/**
 * A `Set-Cookie` value that removes the session cookie.
 *
 * @param request The request being answered.
 * @param settings The cookie's name and domain.
 * @returns The header value.
 */
export function sessionClearCookie(request: Request, settings: SessionCookieSettings): string {
  return _serialize(request, settings, "", 0);
}

function _serialize(
  request: Request,
  settings: SessionCookieSettings,
  value: string,
  maxAge: number,
): string {
  return serialize(settings.name, value, {
    maxAge,
    path: "/",
    httpOnly: true,
    secure: new URL(request.url).protocol === "https:",
    sameSite: "lax",
    ...(settings.domain === undefined ? {} : { domain: settings.domain }),
  });
}
