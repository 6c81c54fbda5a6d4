/**
 * Connection failures of the PostgreSQL config store as `STORE_UNAVAILABLE`
 * errors, and database URLs with their password hidden.
 *
 * @module
 */
import { NetScriptError } from "@netscript/contracts/errors";

/** Node's socket failures while connecting or talking to a server. */
const NETWORK_CODES: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
]);

/**
 * SQLSTATEs that mean the server is not usable for this connection: the
 * connection exception class, shutdowns, a missing database, refused
 * authentication, too many connections.
 */
const UNAVAILABLE_STATES = /^(08...|57P0[1-3]|3D000|28000|28P01|53300)$/;

/** `pg`'s own connection failures, which carry no code. */
const PG_CONNECTION_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|not queryable|Client has encountered a connection error/;

/**
 * Hides the password of a database URL (and of `password=` settings):
 * `postgresql://app:secret@db/app` becomes `postgresql://app:***@db/app`.
 * Given the URL too, it also hides that URL's password wherever it shows in
 * `text`, raw or decoded (for a driver's message).
 *
 * @param text A URL, or a message that may hold one.
 * @param url The URL whose password must not show in `text`.
 * @returns The text without the password.
 */
export function redactPassword(text: string, url?: string): string {
  let redacted = text
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*):[^@\s]*@/gi, "$1:***@")
    .replace(/\bpassword=\S+/gi, "password=***");
  if (url !== undefined) {
    for (const secret of _passwords(url)) redacted = redacted.replaceAll(secret, "***");
  }
  return redacted;
}

/** The password of a URL, raw and decoded, when it has one. */
function _passwords(url: string): string[] {
  try {
    const { password } = new URL(url);
    if (password === "") return [];
    return [...new Set([password, decodeURIComponent(password)])];
  } catch {
    return [];
  }
}

/**
 * Tells whether a driver failure means the database cannot be reached.
 *
 * @param error What `pg` threw.
 * @returns Whether it is a connection failure.
 */
export function isConnectionFailure(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === "string" && (NETWORK_CODES.has(code) || UNAVAILABLE_STATES.test(code))) {
    return true;
  }
  return typeof message === "string" && PG_CONNECTION_MESSAGES.test(message);
}

/**
 * The error for a config store that cannot be reached or opened.
 *
 * @param url The database URL (its password never shows).
 * @param error What the driver threw.
 * @param hint What to check.
 * @returns A `STORE_UNAVAILABLE` error.
 */
export function storeUnavailableError(
  url: string,
  error: unknown,
  hint = "check that PostgreSQL is running there and that the URL is right",
): NetScriptError {
  const reason = redactPassword(error instanceof Error ? error.message : String(error), url);
  const code = (error as { code?: unknown } | null)?.code;
  return new NetScriptError(
    "STORE_UNAVAILABLE",
    `Cannot reach the config store at ${redactPassword(url)}: ${reason}; ${hint}`,
    {
      details: { url: redactPassword(url), ...(typeof code === "string" ? { code } : {}) },
      cause: error,
    },
  );
}
