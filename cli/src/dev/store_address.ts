import type { DataStoreResource } from "@netscript/plugin";
import { checkStoreUrl, type CheckStoreUrlOptions } from "@netscript/store";

const DEFAULT_PORTS: Readonly<Record<string, number>> = {
  postgres: 5432,
  mysql: 3306,
  mssql: 1433,
  redis: 6379,
  garnet: 6379,
};

/** The driver that reads each engine's URL, where that URL is a standard URL. */
const URL_DRIVERS: Readonly<Record<string, CheckStoreUrlOptions["driver"]>> = {
  postgres: "postgres",
  mysql: "mysql",
  redis: "redis",
  garnet: "redis",
};

/**
 * Checks a server store's URL before anything connects with it, so a
 * malformed one (a port that is not a number, a password with an unencoded
 * `/`) stops `netscript dev` and fails `doctor` with its fix, instead of
 * every service failing its health check.
 *
 * @param store A server store (one with a `url`).
 * @throws {NetScriptError} `STORE_INVALID`, naming the variable that holds
 * the URL and showing it without its password.
 */
export function checkServerStoreUrl(store: DataStoreResource): void {
  const driver = URL_DRIVERS[store.engine];
  if (driver === undefined || store.url === undefined) return;
  checkStoreUrl(store.url, {
    driver,
    store: `the ${store.name === "db" ? "database (DATABASE_URL)" : "cache (CACHE_URI)"}`,
  });
}

/**
 * The host and port a server store listens on, from its URL (the engine's
 * usual port when the URL names none).
 *
 * @param store A server store (one with a `url`).
 * @returns Where to connect.
 */
export function storeAddress(store: DataStoreResource): { hostname: string; port: number } {
  const match = store.url?.match(/^[a-z]+:\/\/(?:[^@/]*@)?([^:/;?]+):?(\d+)?/);
  return {
    hostname: match?.[1] ?? "127.0.0.1",
    port: Number(match?.[2] ?? DEFAULT_PORTS[store.engine] ?? 0),
  };
}

/**
 * Tries a TCP connection to a server store.
 *
 * @param store A server store.
 * @returns `undefined` when it answers, else why not.
 */
export async function probeStore(store: DataStoreResource): Promise<string | undefined> {
  try {
    (await Deno.connect(storeAddress(store))).close();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
