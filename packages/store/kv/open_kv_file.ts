/**
 * Opening a Deno KV file for a store, with the shared error for a file
 * that cannot be used.
 *
 * @module
 */
import { dirname } from "node:path";
import {
  classifyStoreError,
  type StoreErrorOptions,
  storeUnavailableError,
} from "../classify_store_error.ts";

/** Options of {@linkcode openKvFile}. */
export interface OpenKvFileOptions {
  /**
   * Create the file's folder when it is missing.
   * @default {true}
   */
  readonly createFolder?: boolean | undefined;
  /** How errors name the store, e.g. `{ dependency: "job store" }`. */
  readonly store?: Omit<StoreErrorOptions, "driver" | "target"> | undefined;
}

/**
 * Opens a Deno KV (SQLite) file, creating its folder first (unless told
 * not to). Several processes may open the same file at once. Needs
 * `--unstable-kv` (or `"unstable": ["kv"]` in `deno.json`).
 *
 * @param path The file; without it, Deno's default store for the script.
 * @param options Whether to create the folder, and how errors name the store.
 * @returns The open handle; close it with `kv.close()`.
 * @throws {NetScriptError} `STORE_UNAVAILABLE`, with `details.path`, when
 * Deno KV is not enabled, the folder cannot be created, or the file cannot
 * be opened as a KV store (not a database, a folder, no permission).
 *
 * @example
 * ```ts
 * import { openKvFile } from "@netscript/store/kv";
 *
 * const dir = await Deno.makeTempDir();
 * const kv = await openKvFile(`${dir}/data/billing.kv`, { store: { dependency: "billing store" } });
 * await kv.set(["hello"], "world");
 * kv.close();
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function openKvFile(
  path: string | undefined,
  options: OpenKvFileOptions = {},
): Promise<Deno.Kv> {
  const errors: StoreErrorOptions = {
    ...options.store,
    driver: "kv",
    target: path === undefined ? "Deno's default KV store" : JSON.stringify(path),
    details: { ...options.store?.details, path: path ?? null },
  };
  if (typeof Deno.openKv !== "function") {
    throw storeUnavailableError(
      `Deno KV is not enabled; run with --unstable-kv or add "unstable": ["kv"] to deno.json`,
      errors,
    );
  }
  if (path !== undefined && (options.createFolder ?? true)) {
    try {
      await Deno.mkdir(dirname(path), { recursive: true });
    } catch (error) {
      throw storeUnavailableError(
        `cannot create its folder ${JSON.stringify(dirname(path))}: ${(error as Error).message}`,
        { ...errors, cause: error },
      );
    }
  }
  try {
    return await Deno.openKv(path);
  } catch (error) {
    const classified = classifyStoreError(error, errors);
    throw classified === error
      ? storeUnavailableError(error instanceof Error ? error.message : String(error), {
        ...errors,
        cause: error,
      })
      : classified;
  }
}
