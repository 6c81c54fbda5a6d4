/**
 * Which store a plugin's processes use, chosen from the workspace's
 * environment the same way for every plugin.
 *
 * @module
 */
import { NetScriptError } from "@netscript/contracts/errors";
import { type EnvReader, processEnv, readVariable } from "./env_reader.ts";
import { redactSecrets } from "./redact.ts";

/** The stores a plugin's processes can run on. */
export type StoreKind = "postgres" | "kv" | "redis";

/** The store {@linkcode selectStore} chose, and where it is. */
export type StoreSelection =
  | {
    /** PostgreSQL, the workspace's database. */
    readonly kind: "postgres";
    /** The database URL, with its password. */
    readonly url: string;
    /** The URL without its password, for logs. */
    readonly location: string;
  }
  | {
    /** A Deno KV (SQLite) file. */
    readonly kind: "kv";
    /** The file. */
    readonly path: string;
    /** The file, for logs. */
    readonly location: string;
  }
  | {
    /** Redis (or a compatible server such as Garnet). */
    readonly kind: "redis";
    /** The Redis URL, with its password. */
    readonly url: string;
    /** The URL without its password, for logs. */
    readonly location: string;
  };

/** Options of {@linkcode selectStore}. */
export interface SelectStoreOptions<TKind extends StoreKind = StoreKind> {
  /** The plugin's variable prefix, e.g. `WORKERS` for `WORKERS_STORE`. */
  readonly prefix: string;
  /**
   * Where variables are read.
   * @default {processEnv}
   */
  readonly env?: EnvReader | undefined;
  /**
   * The name of the default KV file, `.netscript/data/<slug>.kv`.
   * @default {the prefix in lower case, `_` as `-`}
   */
  readonly slug?: string | undefined;
  /**
   * The stores the plugin keeps its data in; `<PREFIX>_STORE` naming
   * another is refused as not supported, and the result is one of them.
   * @default {["postgres", "kv", "redis"]}
   */
  readonly kinds?: readonly TKind[] | undefined;
}

/** Every store kind, in the order messages list them. */
const ALL_KINDS: readonly StoreKind[] = ["postgres", "kv", "redis"];

/** The folder of the embedded stores' files. */
export const DATA_FOLDER = ".netscript/data";

const POSTGRES_URL = /^postgres(ql)?:\/\//i;

/**
 * Chooses a plugin's store from the environment:
 *
 * 1. `<PREFIX>_STORE`: `postgres`, `kv` or `redis`, when set;
 * 2. else PostgreSQL when the workspace's database is one: `DATABASE_URL`,
 *    else Aspire's `DB_URI`, is a `postgres://` or `postgresql://` URL;
 * 3. else Deno KV.
 *
 * Deno KV uses `<PREFIX>_KV_PATH`, else the cache's `DENO_KV_PATH`, else
 * `.netscript/data/<slug>.kv`. Redis, never chosen on its own, uses
 * `<PREFIX>_REDIS_URL`, else `REDIS_URL`, else Aspire's `CACHE_URI`. Empty
 * variables count as unset. Nothing is opened.
 *
 * @param options The plugin's prefix, where to read and the KV file's name.
 * @returns The store and where it is.
 * @throws {NetScriptError} `STORE_INVALID` for an unknown
 * `<PREFIX>_STORE` or one outside `kinds`, `postgres` without a
 * PostgreSQL URL, or `redis` without a Redis URL.
 *
 * @example
 * ```ts
 * import { envFrom, selectStore } from "@netscript/store";
 *
 * const env = envFrom({ DB_URI: "postgresql://postgres:secret@127.0.0.1:5432/app" });
 * console.log(selectStore({ prefix: "WORKERS", env }).location);
 * // "postgresql://postgres:***@127.0.0.1:5432/app"
 * console.log(selectStore({ prefix: "WORKERS", env: envFrom({}) }).location);
 * // ".netscript/data/workers.kv"
 * ```
 */
export function selectStore<TKind extends StoreKind = StoreKind>(
  options: SelectStoreOptions<TKind>,
): Extract<StoreSelection, { kind: TKind }> {
  return _select(options) as Extract<StoreSelection, { kind: TKind }>;
}

function _select(options: SelectStoreOptions): StoreSelection {
  const env = options.env ?? processEnv;
  const kinds = options.kinds ?? ALL_KINDS;
  const prefix = options.prefix;
  const variable = `${prefix}_STORE`;
  const url = readVariable(env, "DATABASE_URL") ?? readVariable(env, "DB_URI");
  const isPostgres = url !== undefined && POSTGRES_URL.test(url);
  const wanted = readVariable(env, variable) ?? (isPostgres ? "postgres" : "kv");
  const invalid = (message: string) =>
    new NetScriptError("STORE_INVALID", message, {
      details: { variable, store: wanted },
    });
  const listed = (quote: string) =>
    kinds.map((kind) => `${quote}${kind}${quote}`).join(", ").replace(/, ([^,]*)$/, " or $1");
  if (ALL_KINDS.includes(wanted as StoreKind) && !kinds.includes(wanted as StoreKind)) {
    throw invalid(
      `${variable}=${wanted} is not supported: this plugin keeps its data in ${
        listed("")
      }; set ${variable} to ${listed("")}, or unset it`,
    );
  }
  switch (wanted) {
    case "postgres":
      if (!isPostgres) {
        throw invalid(
          `${variable}=postgres needs a PostgreSQL URL in DATABASE_URL or DB_URI (got ${
            url === undefined ? "none" : JSON.stringify(redactSecrets(url))
          })`,
        );
      }
      return { kind: "postgres", url: url!, location: redactSecrets(url!) };
    case "redis": {
      const names = [`${prefix}_REDIS_URL`, "REDIS_URL", "CACHE_URI"];
      const redisUrl = names.map((name) => readVariable(env, name)).find((v) => v !== undefined);
      if (redisUrl === undefined) {
        throw invalid(
          `${variable}=redis needs a Redis URL in ${names[0]}, REDIS_URL or CACHE_URI (got none)`,
        );
      }
      return { kind: "redis", url: redisUrl, location: redactSecrets(redisUrl) };
    }
    case "kv": {
      const slug = options.slug ?? prefix.toLowerCase().replaceAll("_", "-");
      const path = readVariable(env, `${prefix}_KV_PATH`) ?? readVariable(env, "DENO_KV_PATH") ??
        `${DATA_FOLDER}/${slug}.kv`;
      return { kind: "kv", path, location: path };
    }
    default:
      throw invalid(`${variable} must be ${listed('"')} (got ${JSON.stringify(wanted)})`);
  }
}
