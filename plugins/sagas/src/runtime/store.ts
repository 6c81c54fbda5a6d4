import type { SagaStore } from "@netscript/plugin-sagas-core";
import { createKvSagaStore } from "@netscript/plugin-sagas-core/kv";
import { createPostgresSagaStore } from "@netscript/plugin-sagas-core/postgres";
import {
  DATA_FOLDER,
  type EnvReader,
  type OpenedStore,
  openSelectedStore,
  processEnv,
} from "@netscript/store";
import type { Logger } from "@netscript/telemetry";

/** An open saga store. */
export type OpenedSagaStore = OpenedStore<SagaStore, "postgres" | "kv">;

/** The name the store selection gives the sagas' Deno KV file. */
const KV_SLUG = "sagas";

/** The Deno KV file used when neither `SAGAS_KV_PATH` nor `DENO_KV_PATH` names one. */
export const DEFAULT_SAGAS_KV_PATH: string = `${DATA_FOLDER}/${KV_SLUG}.kv`;

/**
 * Opens the saga store the environment selects, with `@netscript/store`'s
 * `selectStore`: `SAGAS_STORE` chooses `postgres` or `kv`; without it,
 * Postgres when `DATABASE_URL` (or Aspire's `DB_URI`) is a PostgreSQL URL,
 * Deno KV otherwise, at `SAGAS_KV_PATH`, else `DENO_KV_PATH`, else
 * `.netscript/data/sagas.kv` (its folder created).
 *
 * @param env Where variables are read.
 * @param logger Where the store reports failures in the background.
 * @returns The open store.
 * @throws {NetScriptError} `STORE_INVALID` for an unknown `SAGAS_STORE`,
 * `redis` (sagas are kept in Postgres or Deno KV), or `postgres` without a
 * PostgreSQL URL; `STORE_UNAVAILABLE` when the store cannot be opened.
 *
 * @example
 * ```ts
 * import { envFrom } from "@netscript/store";
 * import { openSagaStore } from "@netscript/plugin-sagas";
 *
 * const dir = await Deno.makeTempDir();
 * const opened = await openSagaStore(envFrom({ SAGAS_KV_PATH: `${dir}/sagas.kv` }));
 * console.log(opened.kind); // "kv"
 * await opened.store.close();
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function openSagaStore(
  env: EnvReader = processEnv,
  logger?: Logger,
): Promise<OpenedSagaStore> {
  return await openSelectedStore(
    { prefix: "SAGAS", env, slug: KV_SLUG, kinds: ["postgres", "kv"] },
    {
      postgres: ({ url }) =>
        createPostgresSagaStore({ url, ...(logger === undefined ? {} : { logger }) }),
      kv: ({ path }) => createKvSagaStore({ path, createFolder: true }),
    },
  );
}
