/**
 * The options of the WorkOS backend, their defaults, and the check that
 * refuses options no backend can work with.
 *
 * @module
 */
import type { Logger } from "@netscript/telemetry";

/** How long a browser keeps a renewed cookie unless told otherwise: AuthKit's 400 days. */
export const DEFAULT_COOKIE_MAX_AGE_SECONDS: number = 400 * 24 * 60 * 60;

/** The shortest cookie password WorkOS accepts. */
export const MIN_COOKIE_PASSWORD_LENGTH: number = 32;

/** Options of `createWorkosBackend()`: the values AuthKit's sign-in uses. */
export interface WorkosBackendOptions {
  /** The WorkOS API key (`sk_…`); it authenticates refreshes. */
  readonly apiKey: string;
  /** The WorkOS client id (`client_…`); it names the signing keys (`/sso/jwks/<clientId>`). */
  readonly clientId: string;
  /** The password AuthKit seals the cookie with: at least 32 characters. */
  readonly cookiePassword: string;
  /**
   * The session cookie's name.
   * @default {"wos-session"}
   */
  readonly cookieName?: string | undefined;
  /**
   * The `Domain` attribute AuthKit sets the cookie with, so a renewed or
   * cleared cookie replaces it.
   * @default {none: the cookie belongs to the host that set it}
   */
  readonly cookieDomain?: string | undefined;
  /**
   * How long a browser keeps a renewed cookie, in seconds.
   * @default {34560000 (400 days, as AuthKit)}
   */
  readonly cookieMaxAgeSeconds?: number | undefined;
  /**
   * The WorkOS API's host name, e.g. `127.0.0.1` for a local stand-in.
   * @default {"api.workos.com"}
   */
  readonly apiHostname?: string | undefined;
  /**
   * The WorkOS API's port.
   * @default {the scheme's}
   */
  readonly apiPort?: number | undefined;
  /**
   * Whether the WorkOS API is reached over https.
   * @default {true}
   */
  readonly https?: boolean | undefined;
  /**
   * Where refused cookies and refreshes are logged (their reason, never a
   * token or the cookie).
   * @default {a JSON logger for the service "auth-workos"}
   */
  readonly logger?: Logger | undefined;
}

/**
 * Throws for options no backend can work with; never quotes a secret.
 *
 * @param options The options given to `createWorkosBackend()`.
 * @throws {TypeError} For an empty API key, client id or cookie name.
 * @throws {RangeError} For a short cookie password, a bad port or cookie lifetime.
 */
export function checkWorkosBackendOptions(options: WorkosBackendOptions): void {
  for (const field of ["apiKey", "clientId"] as const) {
    if (typeof options[field] !== "string" || options[field] === "") {
      throw new TypeError(`createWorkosBackend() needs options.${field}: pass a non-empty string`);
    }
  }
  if (typeof options.cookiePassword !== "string") {
    throw new TypeError("createWorkosBackend() needs options.cookiePassword: pass a string");
  }
  if (options.cookiePassword.length < MIN_COOKIE_PASSWORD_LENGTH) {
    throw new RangeError(
      `createWorkosBackend() needs a cookiePassword of at least ${MIN_COOKIE_PASSWORD_LENGTH} characters: pass the one AuthKit seals its cookie with`,
    );
  }
  if (options.cookieName === "") {
    throw new TypeError(
      "createWorkosBackend() options.cookieName is empty: omit it for wos-session",
    );
  }
  const positive = { apiPort: options.apiPort, cookieMaxAgeSeconds: options.cookieMaxAgeSeconds };
  for (const [field, value] of Object.entries(positive)) {
    if (value !== undefined && (!Number.isInteger(value) || value <= 0)) {
      throw new RangeError(
        `createWorkosBackend() options.${field} is ${value}: pass a positive integer`,
      );
    }
  }
  if (options.apiPort !== undefined && options.apiPort > 65535) {
    throw new RangeError(
      `createWorkosBackend() options.apiPort is ${options.apiPort}: at most 65535`,
    );
  }
}
