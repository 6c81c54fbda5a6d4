import type { DeliveryStore } from "@netscript/plugin-triggers-core";
import { openKvDeliveryStore } from "@netscript/plugin-triggers-core/kv";
import { createPostgresDeliveryStore } from "@netscript/plugin-triggers-core/postgres";
import { NetScriptError } from "@netscript/contracts/errors";
import {
  DATA_FOLDER,
  type EnvReader,
  processEnv,
  readVariable,
  selectStore,
} from "@netscript/store";
import type { Logger } from "@netscript/telemetry";

/** An open delivery store. */
export interface OpenedDeliveryStore {
  /** Which store it is. */
  readonly kind: "postgres" | "kv";
  /** Where it is: the database URL without its password, or the KV file. */
  readonly location: string;
  /** The store. */
  readonly store: DeliveryStore;
}

/** The variable that chooses the store. */
const STORE_VARIABLE = "TRIGGERS_STORE";

/** The stores deliveries can be kept in. */
const SUPPORTED_STORES: readonly string[] = ["postgres", "kv"];

/** The name `selectStore` gives the triggers' Deno KV file. */
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
  // Checked before selectStore, which would accept redis (and, without a
  // Redis URL, ask for one) and name redis among the choices.
  const wanted = readVariable(env, STORE_VARIABLE);
  if (wanted !== undefined && !SUPPORTED_STORES.includes(wanted)) throw _unsupportedStore(wanted);
  const selected = selectStore({ prefix: "TRIGGERS", env, slug: KV_SLUG });
  switch (selected.kind) {
    case "postgres":
      return {
        kind: "postgres",
        location: selected.location,
        store: await createPostgresDeliveryStore({
          url: selected.url,
          ...(logger === undefined ? {} : { logger }),
        }),
      };
    case "kv":
      return {
        kind: "kv",
        location: selected.location,
        store: await openKvDeliveryStore(selected.path, { createFolder: true }),
      };
    case "redis":
      throw _unsupportedStore("redis");
  }
}

/** The `STORE_INVALID` error for a `TRIGGERS_STORE` other than `postgres` or `kv`. */
function _unsupportedStore(wanted: string): NetScriptError {
  return new NetScriptError(
    "STORE_INVALID",
    wanted === "redis"
      ? `${STORE_VARIABLE}=redis is not supported: deliveries are kept in Postgres or Deno KV; set ${STORE_VARIABLE} to postgres or kv, or unset it`
      : `${STORE_VARIABLE} must be "postgres" or "kv" (got ${JSON.stringify(wanted)})`,
    { details: { variable: STORE_VARIABLE, store: wanted } },
  );
}
