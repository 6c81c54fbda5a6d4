import { openKvFile } from "@netscript/store/kv";
import { JOB_STORE } from "../job_store_names.ts";
import { KvJobQueue, type KvJobQueueOptions } from "./kv_job_queue.ts";

/** Options of {@linkcode openKvJobQueue}. */
export interface OpenKvJobQueueOptions extends Omit<KvJobQueueOptions, "ownsKv" | "path"> {
  /**
   * Create the file's folder when it is missing.
   * @default {false}
   */
  createFolder?: boolean | undefined;
}

/**
 * Opens a Deno KV file and a queue on it that closes the file in `close()`.
 * Several processes may open the same file at once; `waitForWork` watches
 * the file's folder, so a commit by any of them wakes it at once (with read
 * permission for the folder; else it polls, see `wakePollMs`). Needs
 * `--unstable-kv` (or `"unstable": ["kv"]` in `deno.json`).
 *
 * @param path The KV (SQLite) file; without it, Deno's default store for the script.
 * @param options The key prefix, the wake-up polling interval, and whether to create the folder.
 * @returns The queue.
 * @throws {NetScriptError} `STORE_UNAVAILABLE` when the file cannot be
 * opened as a KV store (not a database, a folder, a missing folder unless
 * `createFolder` is set, no permission) or Deno KV is not enabled.
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
  const { createFolder, ...queueOptions } = options;
  const kv = await openKvFile(path, { createFolder: createFolder ?? false, store: JOB_STORE });
  return new KvJobQueue(kv, { ...queueOptions, path, ownsKv: true });
}
