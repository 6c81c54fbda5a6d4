/**
 * How `trigger-processor` starts sagas: with the sagas plugin's store,
 * opened when a dispatch first returns a saga, so a workspace whose
 * triggers start only jobs never opens it. Whether the workspace has the
 * sagas plugin is read from the discovery variables of its `sagas-api`.
 *
 * @module
 */
import {
  createSagaClient,
  type OpenedSagaStore,
  openSagaStore,
  type SagaClient,
  type SagaStore,
} from "@netscript/plugin-sagas";
import type { SagaStarter } from "@netscript/plugin-triggers-core";
import type { EnvReader } from "@netscript/runtime";
import { serviceUrlVariables } from "@netscript/sdk";
import type { Logger } from "@netscript/telemetry";

/** The sagas plugin's API, as its manifest names it. */
const SAGAS_SERVICE = "sagas-api";

/** A saga starter that opens the saga store on its first start. */
export interface LazySagaStarter extends SagaStarter {
  /** The saga store, opened now unless it is open; a failed open is tried again on the next call. */
  openStore(): Promise<SagaStore>;
  /** Closes the saga store if it was opened; a start after this fails. */
  close(): Promise<void>;
}

/**
 * Tells whether the workspace has the sagas plugin: whether this process
 * was given a discovery variable of `sagas-api`, as `netscript dev` and the
 * Aspire AppHost give every process one for each service.
 *
 * @param env Where the process reads variables.
 * @returns `true` when `sagas-api` is one of the workspace's services.
 */
export function hasSagasPlugin(env: EnvReader): boolean {
  return serviceUrlVariables(SAGAS_SERVICE).some((name) => (env.get(name) ?? "") !== "");
}

/**
 * Creates a saga starter over the saga store the environment selects
 * (`openSagaStore` of the sagas plugin: `SAGAS_STORE`, `SAGAS_KV_PATH`, the
 * database), opened on the first start. A failed open fails that start
 * (the delivery is retried) and is tried again on the next one. Sagas are
 * started by their definitions, so the starter needs no list of them.
 *
 * @param env Where the process reads variables.
 * @param logger Where the store's opening and background failures are logged.
 * @returns The starter.
 */
export function createLazySagaStarter(env: EnvReader, logger: Logger): LazySagaStarter {
  let opening: Promise<_OpenClient> | undefined;
  let closed = false;
  const open = (): Promise<_OpenClient> => {
    if (opening !== undefined) return opening;
    const attempt = openSagaStore(env, logger).then((opened) => {
      logger.info("saga store open", { store: opened.kind, location: opened.location });
      return { opened, client: createSagaClient({ store: opened.store, sagas: [] }) };
    });
    opening = attempt;
    attempt.catch(() => {
      if (opening === attempt) opening = undefined;
    });
    return attempt;
  };
  return {
    async openStore() {
      if (closed) throw new Error("Cannot open the saga store: the trigger processor is stopping");
      return (await open()).opened.store;
    },
    async start(saga, input, options) {
      if (closed) throw new Error("Cannot start a saga: the trigger processor is stopping");
      const { client } = await open();
      return await client.start(saga, input, options);
    },
    async close() {
      closed = true;
      const open = await opening?.catch(() => undefined);
      opening = undefined;
      await open?.opened.store.close();
    },
  };
}

/** An open saga store and the client that starts sagas in it. */
interface _OpenClient {
  readonly opened: OpenedSagaStore;
  readonly client: SagaClient;
}
