/**
 * Checking a store's URL before its driver reads it: the drivers throw a
 * `TypeError` that quotes the whole URL, password included, on every call.
 *
 * @module
 */
import { NetScriptError } from "@netscript/contracts/errors";
import { redactSecrets } from "./redact.ts";
import type { StoreSelectionErrorCode } from "./store_error_codes.ts";

/** The drivers whose URLs can be checked, and the base each resolves a URL against. */
const DRIVERS = {
  postgres: { name: "PostgreSQL", base: "postgres://base" },
  mysql: { name: "MySQL", base: undefined },
  redis: { name: "Redis", base: undefined },
} as const;

/** Options of {@linkcode checkStoreUrl}. */
export interface CheckStoreUrlOptions {
  /** Which driver reads the URL. */
  readonly driver: "postgres" | "mysql" | "redis";
  /** The store, for the message, e.g. `the workers job store`. */
  readonly store: string;
}

/**
 * Checks that a store's URL parses as its driver parses it, so a malformed
 * URL is a clear error instead of the driver's `TypeError` that quotes the
 * password.
 *
 * @param url The URL.
 * @param options The driver and the store's name.
 * @returns The URL.
 * @throws {NetScriptError} `STORE_INVALID` when it does not parse; the
 * message and details show it without its password.
 *
 * @example
 * ```ts
 * import { checkStoreUrl } from "@netscript/store";
 *
 * try {
 *   checkStoreUrl("postgres://app:s3/cr3t@db:port/app", { driver: "postgres", store: "the job store" });
 * } catch (error) {
 *   console.log((error as Error).message); // … "postgres://app:***@db:port/app" …
 * }
 * ```
 */
export function checkStoreUrl(url: string, options: CheckStoreUrlOptions): string {
  const { name, base } = DRIVERS[options.driver];
  if (URL.canParse(url, base)) return url;
  const shown = redactSecrets(url);
  throw new NetScriptError<StoreSelectionErrorCode>(
    "STORE_INVALID",
    `The ${name} URL "${shown}" of ${options.store} is not a valid URL; fix it, percent-encoding special characters in the user and password`,
    { details: { url: shown } },
  );
}
