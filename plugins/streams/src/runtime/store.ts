import type { StreamStore } from "@netscript/plugin-streams-core";
import { createKvStreamStore } from "@netscript/plugin-streams-core/kv";
import { createPostgresStreamStore } from "@netscript/plugin-streams-core/postgres";
import {
  DATA_FOLDER,
  type EnvReader,
  type OpenedStore,
  openSelectedStore,
  processEnv,
} from "@netscript/store";

/** The store kinds `streams-api` runs on. */
export type StreamStoreKind = "postgres" | "kv";

/** An open stream store. */
export type OpenedStreamStore = OpenedStore<StreamStore, StreamStoreKind>;

/** The name the store selection gives the streams' Deno KV file. */
const KV_SLUG = "streams";

/** The Deno KV file used when neither `STREAMS_KV_PATH` nor `DENO_KV_PATH` names one. */
export const DEFAULT_STREAMS_KV_PATH: string = `${DATA_FOLDER}/${KV_SLUG}.kv`;

/**
 * Opens the stream store the environment selects, with `@netscript/store`'s
 * `selectStore`: `STREAMS_STORE` chooses `postgres` or `kv`; without it,
 * Postgres when `DATABASE_URL` (or Aspire's `DB_URI`) is a PostgreSQL URL,
 * Deno KV otherwise, at `STREAMS_KV_PATH`, else `DENO_KV_PATH`, else
 * `.netscript/data/streams.kv` (its folder created).
 *
 * @param env Where variables are read.
 * @returns The open store.
 * @throws {NetScriptError} `STORE_INVALID` for an unknown `STREAMS_STORE`,
 * `redis` (streams keep no data in Redis), or `postgres` without a
 * PostgreSQL URL; `STORE_UNAVAILABLE` when the store cannot be opened.
 *
 * @example
 * ```ts
 * import { envFrom } from "@netscript/store";
 * import { openStreamStore } from "@netscript/plugin-streams";
 *
 * const dir = await Deno.makeTempDir();
 * const opened = await openStreamStore(envFrom({ STREAMS_KV_PATH: `${dir}/streams.kv` }));
 * console.log(opened.kind); // "kv"
 * await opened.store.close();
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function openStreamStore(env: EnvReader = processEnv): Promise<OpenedStreamStore> {
  return await openSelectedStore(
    { prefix: "STREAMS", env, slug: KV_SLUG, kinds: ["postgres", "kv"] },
    {
      postgres: ({ url }) => createPostgresStreamStore({ url }),
      kv: ({ path }) => createKvStreamStore({ path, createFolder: true }),
    },
  );
}
