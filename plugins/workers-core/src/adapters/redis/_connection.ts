/**
 * Opening and closing the queue's ioredis connections with bounded
 * waits. ioredis reconnects forever and keeps commands queued while it
 * does; the queue keeps the reconnecting (a Redis restart should not stop
 * a worker for good) but fails a command after two reconnection attempts,
 * and fails the first connection at once.
 *
 * @module
 */
import { Redis } from "ioredis";
import { storeUnavailable } from "./_store_errors.ts";

/** Commands fail after this many reconnection attempts. */
const RETRIES_PER_COMMAND = 2;

/**
 * Creates a queue connection; it connects on {@linkcode connect}.
 *
 * @param url The Redis URL.
 * @param connectTimeoutMs How long one connection attempt may take.
 * @returns A lazy connection with bounded retries per command and a
 * reconnection delay that grows to 2 s.
 */
export function createConnection(url: string, connectTimeoutMs: number): Redis {
  return new Redis(url, {
    lazyConnect: true,
    connectTimeout: connectTimeoutMs,
    maxRetriesPerRequest: RETRIES_PER_COMMAND,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    connectionName: "netscript-workers",
  });
}

/**
 * Connects, or fails within `timeoutMs` with the reason: the first attempt
 * that fails ends it, and the connection is closed then, so nothing keeps
 * retrying in the background.
 *
 * @param client A connection that has not connected yet.
 * @param target Where the store is, for the message.
 * @param timeoutMs The longest wait, including the handshake.
 * @throws {NetScriptError} `WORKERS_STORE_UNAVAILABLE` when it cannot connect.
 */
export async function connect(client: Redis, target: string, timeoutMs: number): Promise<void> {
  let failure: unknown;
  const remember = (error: unknown) => failure = error;
  client.on("error", remember);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  const connecting = client.connect();
  connecting.catch(() => {/* the race below reports it */});
  try {
    await Promise.race([connecting, timedOut]);
  } catch (error) {
    await closeConnection(client);
    const cause = failure ?? error;
    throw storeUnavailable(target, cause instanceof Error ? cause.message : String(cause), cause);
  } finally {
    clearTimeout(timer);
    client.off("error", remember);
  }
}

/**
 * Closes a connection: `QUIT` when it is up, else at once; resolves once
 * its socket is gone.
 *
 * @param client The connection.
 */
export async function closeConnection(client: Redis): Promise<void> {
  const open = ["connecting", "connect", "ready"].includes(client.status);
  const ended = open ? new Promise((resolve) => client.once("end", resolve)) : undefined;
  if (client.status === "ready") {
    await client.quit().catch(() => client.disconnect());
  } else if (client.status !== "end") {
    client.disconnect();
  }
  await ended;
}
