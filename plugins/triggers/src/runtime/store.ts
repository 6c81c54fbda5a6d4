import type { DeliveryStore } from "@netscript/plugin-triggers-core";
import { openKvDeliveryStore } from "@netscript/plugin-triggers-core/kv";
import { createPostgresDeliveryStore } from "@netscript/plugin-triggers-core/postgres";
import {
  DATA_FOLDER,
  type EnvReader,
  type OpenedStore,
  openSelectedStore,
  processEnv,
} from "@netscript/store";
import type { Logger } from "@netscript/telemetry";

/** An open delivery store. */
export type OpenedDeliveryStore = OpenedStore<DeliveryStore, "postgres" | "kv">;

/** The name the store selection gives the triggers' Deno KV file. */
const KV_SLUG = "triggers";

/** The Deno KV file used when neither `TRIGGERS_KV_PATH` nor `DENO_KV_PATH` names one. */
export const DEFAULT_TRIGGERS_KV_PATH: string = `${DATA_FOLDER}/${KV_SLUG}.kv`;

/**
 * Opens the delivery store the environment selects, with
 * `@netscript/store`'s `selectStore`: `TRIGGERS_STORE` chooses `postgres`
 * or `kv`; without it, Postgres when `DATABASE_URL` (or Aspire's `DB_URI`)
 * is a PostgreSQL URL, Deno KV otherwise, at `TRIGGERS_KV_PATH`, else
 * `DENO_KV_PATH`, else `.netscript/data/triggers.kv` (its folder created).
 *
 * @param env Where variables are read.
 * @param logger Where the store reports failures in the background.
 * @returns The open store.
 * @throws {NetScriptError} `STORE_INVALID` for an unknown `TRIGGERS_STORE`,
 * `redis` (deliveries are kept in Postgres or Deno KV), or `postgres`
 * without a PostgreSQL URL; `STORE_UNAVAILABLE` when the store cannot be opened.
 *
 * @example
 * ```ts
 * import { envFrom } from "@netscript/store";
 * import { openDeliveryStore } from "@netscript/plugin-triggers";
 *
 * const dir = await Deno.makeTempDir();
 * const opened = await openDeliveryStore(envFrom({ TRIGGERS_KV_PATH: `${dir}/triggers.kv` }));
 * console.log(opened.kind); // "kv"
 * await opened.store.close();
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function openDeliveryStore(
  env: EnvReader = processEnv,
  logger?: Logger,
): Promise<OpenedDeliveryStore> {
  return await openSelectedStore(
    { prefix: "TRIGGERS", env, slug: KV_SLUG, kinds: ["postgres", "kv"] },
    {
      postgres: ({ url }) =>
        createPostgresDeliveryStore({ url, ...(logger === undefined ? {} : { logger }) }),
      kv: ({ path }) => openKvDeliveryStore(path, { createFolder: true }),
    },
  );
}
