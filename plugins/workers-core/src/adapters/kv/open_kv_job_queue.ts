import { NetScriptError } from "@netscript/contracts/errors";
import { KvJobQueue, type KvJobQueueOptions } from "./kv_job_queue.ts";

/** Options of {@linkcode openKvJobQueue}. */
export type OpenKvJobQueueOptions = Omit<KvJobQueueOptions, "ownsKv">;

/**
 * Opens a Deno KV file and a queue on it that closes the file in `close()`.
 * Several processes may open the same file at once. Needs `--unstable-kv`
 * (or `"unstable": ["kv"]` in `deno.json`).
 *
 * @param path The KV (SQLite) file; without it, Deno's default store for the script.
 * @param options The key prefix and the wake-up polling interval.
 * @returns The queue.
 * @throws {NetScriptError} `WORKERS_STORE_UNAVAILABLE` when the file cannot be
 * opened as a KV store (not a database, a folder, a missing folder, no
 * permission) or Deno KV is not enabled.
 *
 * @example
 * ```ts
 * import { openKvJobQueue } from "@netscript/plugin-workers-core/kv";
 *
 * const path = await Deno.makeTempFile({ suffix: ".sqlite3" });
 * const queue = await openKvJobQueue(path);
 * await queue.enqueue({ name: "send-email", input: { to: "a@example.com" } });
 * console.log(await queue.stats());
 * await queue.close();
 * ```
 */
export async function openKvJobQueue(
  path?: string,
  options: OpenKvJobQueueOptions = {},
): Promise<KvJobQueue> {
  const where = path === undefined ? "Deno's default KV store" : `"${path}"`;
  if (typeof Deno.openKv !== "function") {
    throw new NetScriptError(
      "WORKERS_STORE_UNAVAILABLE",
      `Cannot open the workers job store at ${where}: Deno KV is not enabled; run with --unstable-kv or add "unstable": ["kv"] to deno.json`,
      { details: { path: path ?? null } },
    );
  }
  try {
    return new KvJobQueue(await Deno.openKv(path), { ...options, ownsKv: true });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new NetScriptError(
      "WORKERS_STORE_UNAVAILABLE",
      `Cannot open the workers job store at ${where}: ${reason}; check that the path names a Deno KV (SQLite) file, or none yet, in a folder this process may write`,
      { details: { path: path ?? null }, cause: error },
    );
  }
}
