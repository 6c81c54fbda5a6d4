/**
 * The workspace's config store: where every plugin's config topics live,
 * chosen from the environment like the plugins' own stores.
 *
 * @module
 */
import type { ConfigStore } from "@netscript/runtime-config";
import type { Logger } from "@netscript/telemetry";
import {
  DATA_FOLDER,
  type EnvReader,
  processEnv,
  readVariable,
  redactSecrets,
  type StoreSelection,
} from "@netscript/store";

/** The Deno KV file of the config store when `NETSCRIPT_CONFIG_KV_PATH` names none. */
export const DEFAULT_CONFIG_KV_PATH = `${DATA_FOLDER}/config.kv`;

/**
 * Where the workspace's config store is, as {@linkcode selectConfigStore}
 * finds it: PostgreSQL (table `netscript.config_topics`) or a Deno KV file.
 */
export type ConfigStoreSelection = Extract<StoreSelection, { kind: "postgres" | "kv" }>;

/**
 * Finds the workspace's config store: PostgreSQL when `DATABASE_URL` (else
 * Aspire's `DB_URI`) is a PostgreSQL URL, else the Deno KV file
 * `NETSCRIPT_CONFIG_KV_PATH`, else `.netscript/data/config.kv`. Every
 * process of the workspace, and `netscript config`, finds the same one.
 *
 * @param env Where variables are read.
 * @returns The store's kind and where it is; nothing is opened.
 *
 * @example
 * ```ts
 * import { envFrom, selectConfigStore } from "@netscript/runtime";
 *
 * console.log(selectConfigStore(envFrom({})).location); // ".netscript/data/config.kv"
 * ```
 */
export function selectConfigStore(env: EnvReader = processEnv): ConfigStoreSelection {
  const url = readVariable(env, "DATABASE_URL") ?? readVariable(env, "DB_URI");
  if (url !== undefined && /^postgres(ql)?:\/\//i.test(url)) {
    return { kind: "postgres", url, location: redactSecrets(url) };
  }
  const path = readVariable(env, "NETSCRIPT_CONFIG_KV_PATH") ?? DEFAULT_CONFIG_KV_PATH;
  return { kind: "kv", path, location: path };
}

/** Options of {@linkcode openConfigStore}. */
export interface OpenConfigStoreOptions {
  /**
   * Where the store reports lost connections and failed watch reads.
   * @default {the adapter's own JSON logger}
   */
  readonly logger?: Logger | undefined;
}

/**
 * Opens the workspace's config store ({@linkcode selectConfigStore}):
 * `@netscript/runtime-config`'s PostgreSQL adapter, or its Deno KV adapter
 * (which creates the file's folder). Only the chosen adapter is loaded.
 *
 * @param env Where variables are read.
 * @param options A logger for the store.
 * @returns The open store; `close()` it when done.
 * @throws {NetScriptError} `STORE_UNAVAILABLE` when the store cannot be reached or opened.
 *
 * @example
 * ```ts
 * import { envFrom, openConfigStore } from "@netscript/runtime";
 *
 * const dir = await Deno.makeTempDir();
 * const store = await openConfigStore(envFrom({ NETSCRIPT_CONFIG_KV_PATH: `${dir}/config.kv` }));
 * await store.write("workers", { concurrency: 4 });
 * await store.close();
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function openConfigStore(
  env: EnvReader = processEnv,
  options: OpenConfigStoreOptions = {},
): Promise<ConfigStore> {
  const selected = selectConfigStore(env);
  const logger = options.logger === undefined ? {} : { logger: options.logger };
  if (selected.kind === "postgres") {
    const { createPostgresConfigStore } = await import("@netscript/runtime-config/postgres");
    return await createPostgresConfigStore({ url: selected.url, ...logger });
  }
  const { createKvConfigStore } = await import("@netscript/runtime-config/kv");
  return await createKvConfigStore({ path: selected.path, ...logger });
}
