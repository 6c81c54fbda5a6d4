/**
 * Deno KV helpers every plugin's store shares: open a KV file (creating
 * its folder) with the shared `STORE_UNAVAILABLE` error for a file that
 * cannot be used, wait for a key to change, including writes by other
 * processes on the same file (a counter's waits ring on any process's
 * commit to the file, through a watch of its folder), commit while another process holds the
 * file's lock, and read more keys than one `getMany` takes. Needs
 * `--unstable-kv`.
 *
 * @example
 * ```ts
 * import { openKvFile, waitForKvChange } from "@netscript/store/kv";
 *
 * const dir = await Deno.makeTempDir();
 * const kv = await openKvFile(`${dir}/billing.kv`);
 * const seen = (await kv.get(["wake"])).versionstamp;
 * await kv.set(["wake"], 1);
 * const signal = new AbortController().signal;
 * await waitForKvChange(kv, ["wake"], { seen, timeoutMs: 1_000, pollMs: 100, signal });
 * kv.close();
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @module
 */

export { commitAtomic, isKvLimitError, readMany } from "./kv_atomic.ts";
export { CommitDoorbell } from "./commit_doorbell.ts";
export { KvChangeWaits, type KvChangeWaitsOptions } from "./kv_change_waits.ts";
export { openKvFile, type OpenKvFileOptions } from "./open_kv_file.ts";
export { waitForKvChange, type WaitForKvChangeOptions } from "./wait_for_kv_change.ts";
