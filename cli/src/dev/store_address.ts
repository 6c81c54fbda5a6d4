import type { DataStoreResource } from "@netscript/plugin";

const DEFAULT_PORTS: Readonly<Record<string, number>> = {
  postgres: 5432,
  mysql: 3306,
  mssql: 1433,
  redis: 6379,
  garnet: 6379,
};

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
