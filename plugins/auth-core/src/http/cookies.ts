/**
 * The cookies of a sign-in: named with the `__Host-` prefix on https (so
 * no subdomain can set or shadow them), always `HttpOnly` (no script reads
 * them), `SameSite=Lax` (not sent on cross-site POSTs) and `Path=/`, and
 * `Secure` on https.
 *
 * @module
 */
import { parse, serialize } from "cookie";

/** Where a cookie is set: whether the site is served over https. */
export interface CookieScope {
  /** `true` on https: the cookie is `Secure` and its name takes the `__Host-` prefix. */
  readonly secure: boolean;
}

/**
 * Whether the site a request reached is served over https: the request's
 * own URL, or the public URL the service is reached at behind a proxy.
 *
 * @param request The request.
 * @param publicUrl The site's public URL, when a proxy terminates TLS.
 * @returns The cookie scope.
 *
 * @example
 * ```ts
 * import { cookieScope } from "@netscript/plugin-auth-core";
 *
 * console.log(cookieScope(new Request("https://app.example/auth/signin")).secure); // true
 * ```
 */
export function cookieScope(request: Request, publicUrl?: string): CookieScope {
  const url = publicUrl ?? request.url;
  return { secure: new URL(url).protocol === "https:" };
}

/**
 * A cookie's name in a scope: `__Host-<name>` on https, `<name>` otherwise.
 *
 * @param name The base name, e.g. `netscript-session`.
 * @param scope Where it is set.
 * @returns The name to use.
 */
export function cookieName(name: string, scope: CookieScope): string {
  return scope.secure ? `__Host-${name}` : name;
}

/**
 * A `Set-Cookie` value that sets a cookie.
 *
 * @param name The base name.
 * @param value The value (a random id; never a secret the browser must read).
 * @param scope Where it is set.
 * @param maxAgeSeconds How long the browser keeps it.
 * @returns The header value.
 *
 * @example
 * ```ts
 * import { setCookie } from "@netscript/plugin-auth-core";
 *
 * console.log(setCookie("netscript-session", "abc", { secure: true }, 3600));
 * // "__Host-netscript-session=abc; Max-Age=3600; Path=/; HttpOnly; Secure; SameSite=Lax"
 * ```
 */
export function setCookie(
  name: string,
  value: string,
  scope: CookieScope,
  maxAgeSeconds: number,
): string {
  return serialize(cookieName(name, scope), value, {
    maxAge: Math.max(0, Math.floor(maxAgeSeconds)),
    path: "/",
    httpOnly: true,
    secure: scope.secure,
    sameSite: "lax",
  });
}

/**
 * A `Set-Cookie` value that removes a cookie.
 *
 * @param name The base name.
 * @param scope Where it was set.
 * @returns The header value.
 */
export function clearCookie(name: string, scope: CookieScope): string {
  return setCookie(name, "", scope, 0);
}

/**
 * Reads a cookie of a request, under the name its scope gives it; a cookie
 * sent under the other name (`x` on https, `__Host-x` on http) is ignored.
 *
 * @param request The request.
 * @param name The base name.
 * @param scope Where it was set.
 * @returns Its value, or `null`.
 */
export function readCookie(request: Request, name: string, scope: CookieScope): string | null {
  const header = request.headers.get("cookie");
  if (header === null) return null;
  const value = parse(header)[cookieName(name, scope)];
  return value === undefined || value === "" ? null : value;
}
