import type { DefinitionFile, PluginRuntime } from "@netscript/plugin";
import {
  createSagaClient,
  createSagaRunner,
  sagaCatalog,
  type SagaClient,
  type SagaRunner,
} from "@netscript/plugin-sagas-core";
import { openWorkersClient, type WorkersDefinitions } from "@netscript/plugin-workers";
import {
  type EnvReader,
  type PluginApiContext,
  processEnv,
  type ProcessorContext,
  type ProcessorPart,
  runProcessor,
  servePluginApi,
} from "@netscript/runtime";
import type { RunningService } from "@netscript/service";
import { SAGAS_CONTRACT_VERSIONS } from "../manifest.ts";
import { createSagasService } from "../service/sagas_service.ts";
import { type OpenedSagaStore, openSagaStore } from "./store.ts";

/**
 * The sagas' definitions, as the generated `.netscript/definitions/sagas.ts`
 * exports them (`definitions`): the files of `sagas/`.
 */
export interface SagasDefinitions {
  /** The files under `sagas/`, each with its default export. */
  readonly sagas: readonly DefinitionFile[];
}

/** What every sagas entrypoint is given, from the generated definitions module. */
export interface SagasProcessOptions {
  /** The plugin (`plugin` of `.netscript/definitions/sagas.ts`). */
  readonly plugin: PluginRuntime;
  /** The definitions (`definitions` of the same module). */
  readonly definitions: SagasDefinitions;
}

/** What `saga-runner` is given: the sagas, and the workers its sagas start jobs on. */
export interface SagaRunnerProcessOptions extends SagasProcessOptions {
  /** `plugin` and `definitions` of `.netscript/definitions/workers.ts`: where `ctx.enqueue` starts jobs. */
  readonly workers: {
    readonly plugin: PluginRuntime;
    readonly definitions: WorkersDefinitions;
  };
}

/**
 * The `sagas` config topic `saga-runner` follows. Each field is optional;
 * a field left out keeps its default.
 */
export interface SagasConfig {
  /** Sagas run at once, 1–1000 (default `WORKER_CONCURRENCY`, which the manifest sets to 16). */
  readonly concurrency?: number | undefined;
}

/** The name of the sagas' config topic. */
const CONFIG_TOPIC = "sagas";

/** The port `sagas-api` listens on when `PORT` is unset. */
const DEFAULT_API_PORT = 8092;

/**
 * The `sagas-api` process (the workspace's
 * `plugins/sagas/services/src/main.ts` calls it): opens the store
 * `SAGAS_STORE` selects and serves the contract on `PORT` (8092) until
 * SIGINT or SIGTERM. A store that cannot be reached is answered
 * `503 SERVICE_UNAVAILABLE`.
 *
 * @param options `plugin` and `definitions` from `.netscript/definitions/sagas.ts`.
 * @returns The running service.
 * @throws {NetScriptError} `SAGAS_DUPLICATE_SAGA`, `SAGAS_INVALID_DEFINITION`,
 * `RUNTIME_INVALID_SETTING`, `STORE_INVALID`, `STORE_UNAVAILABLE`.
 *
 * @example
 * ```ts ignore
 * import { serveSagasApi } from "@netscript/plugin-sagas";
 * import { definitions, plugin } from "../../../../.netscript/definitions/sagas.ts";
 *
 * await serveSagasApi({ plugin, definitions });
 * ```
 */
export function serveSagasApi(options: SagasProcessOptions): Promise<RunningService> {
  return servePluginApi({
    plugin: options.plugin,
    resource: `${options.plugin.slug}-api`,
    defaultPort: DEFAULT_API_PORT,
    contractVersions: SAGAS_CONTRACT_VERSIONS,
    service: async (context: PluginApiContext) => {
      const sagas = sagaCatalog(options.definitions.sagas);
      const opened = await _openStore(context);
      return createSagasService({ store: opened.store, sagas, logger: context.logger });
    },
  });
}

/**
 * The `saga-runner` process: claims runnable sagas and runs them, each
 * step once, until SIGINT or SIGTERM; the sagas it was running are given
 * back, runnable at once by another runner. It runs `WORKER_CONCURRENCY`
 * sagas at once (16 from the manifest) unless the `sagas` config topic says
 * otherwise, and follows the topic's `concurrency` while it runs
 * (`netscript config set sagas …`). `ctx.enqueue` starts jobs in the
 * workers plugin's job store.
 *
 * @param options The sagas' and the workers' `plugin` and `definitions`.
 * @returns Resolves once the runner has stopped.
 * @throws {NetScriptError} As {@linkcode serveSagasApi}, and the job store's codes.
 *
 * @example
 * ```ts ignore
 * import { runSagaRunner } from "@netscript/plugin-sagas";
 * import { definitions, plugin } from "../../../.netscript/definitions/sagas.ts";
 * import * as workers from "../../../.netscript/definitions/workers.ts";
 *
 * await runSagaRunner({ plugin, definitions, workers });
 * ```
 */
export function runSagaRunner(options: SagaRunnerProcessOptions): Promise<void> {
  return runProcessor({
    plugin: options.plugin,
    resource: "saga-runner",
    parts: async (context) => {
      const sagas = sagaCatalog(options.definitions.sagas);
      const opened = await _openStore(context);
      const jobs = await openWorkersClient({ ...options.workers, env: context.env });
      context.onClose(() => jobs.close());
      context.logger.info("job store open", { store: jobs.store.kind });
      const runner = createSagaRunner({
        store: opened.store,
        sagas,
        jobs: jobs.client,
        concurrency: context.settings.concurrency,
        logger: context.logger,
      });
      return [runner, _followConfig(context, runner)];
    },
  });
}

/** Opens the saga store for a process and closes it once the process has stopped. */
async function _openStore(
  context: Pick<ProcessorContext, "env" | "logger" | "onClose">,
): Promise<OpenedSagaStore> {
  const opened = await openSagaStore(context.env, context.logger);
  context.onClose(() => opened.store.close());
  context.logger.info("saga store open", { store: opened.kind, location: opened.location });
  return opened;
}

/** Applies each value of the `sagas` config topic to the runner. */
function _followConfig(context: ProcessorContext, runner: SagaRunner): ProcessorPart {
  return context.watchConfig<SagasConfig>(CONFIG_TOPIC, (config, revision) => {
    const concurrency = config.concurrency ?? context.settings.concurrency;
    runner.configure({ concurrency });
    context.logger.info("sagas config applied", { topic: CONFIG_TOPIC, revision, concurrency });
  });
}

/** Options of {@linkcode openSagasClient}. */
export interface OpenSagasClientOptions {
  /** The definitions (`definitions` of `.netscript/definitions/sagas.ts`). */
  readonly definitions: SagasDefinitions;
  /** Where the store's variables are read. @default {the process's environment} */
  readonly env?: EnvReader | undefined;
}

/** What {@linkcode openSagasClient} returns. */
export interface SagasClient {
  /** Starts, reads, cancels, signals and retries the workspace's sagas. */
  readonly client: SagaClient;
  /** The store the client writes to. */
  readonly store: OpenedSagaStore;
  /** Closes the store. */
  close(): Promise<void>;
}

/**
 * Opens the saga store the environment selects and returns a client that
 * starts the workspace's sagas, for the app's own services: a start with a
 * saga's definition checks its input type at compile time, and every start
 * checks it against the saga's schema. The `saga-runner` process runs what
 * it starts.
 *
 * @param options `definitions` from `.netscript/definitions/sagas.ts`, and
 * where to read variables.
 * @returns The client, the store, and a function that closes it.
 * @throws {NetScriptError} `SAGAS_DUPLICATE_SAGA`, `SAGAS_INVALID_DEFINITION`,
 * `STORE_INVALID`, `STORE_UNAVAILABLE`.
 *
 * @example
 * ```ts ignore
 * import { openSagasClient } from "@netscript/plugin-sagas";
 * import { definitions } from "../../.netscript/definitions/sagas.ts";
 * import placeOrder from "../../sagas/place_order.ts";
 *
 * const sagas = await openSagasClient({ definitions });
 * await sagas.client.start(placeOrder, { orderId: "o-1" }, { id: "order-o-1" });
 * await sagas.close();
 * ```
 */
export async function openSagasClient(options: OpenSagasClientOptions): Promise<SagasClient> {
  const sagas = sagaCatalog(options.definitions.sagas);
  const store = await openSagaStore(options.env ?? processEnv);
  return {
    client: createSagaClient({ store: store.store, sagas }),
    store,
    close: () => store.store.close(),
  };
}
