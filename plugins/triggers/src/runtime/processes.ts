import type { DefinitionFile, PluginRuntime } from "@netscript/plugin";
import {
  createCronTicker,
  createDispatcher,
  createEventFollower,
  createStateFollower,
  type CronDefinition,
  type Dispatcher,
  type EventDefinition,
  triggersByName,
  type TriggersErrorCode,
  type WatchedStore,
} from "@netscript/plugin-triggers-core";
import { NetScriptError } from "@netscript/contracts/errors";
import { decodeSagaValue } from "@netscript/plugin-sagas-core";
import type { JobQueue } from "@netscript/plugin-workers-core";
import { openWorkersClient, type WorkersDefinitions } from "@netscript/plugin-workers";
import {
  type PluginApiContext,
  type ProcessorContext,
  type ProcessorPart,
  runProcessor,
  servePluginApi,
} from "@netscript/runtime";
import type { RunningService } from "@netscript/service";
import { TRIGGERS_CONTRACT_VERSIONS } from "../manifest.ts";
import { createTriggersService } from "../service/triggers_service.ts";
import { createPruneLoop, type PruneLoop } from "./prune_loop.ts";
import { openDeliveryStore } from "./store.ts";
import { createLazySagaStarter, hasSagasPlugin, type LazySagaStarter } from "./saga_starter.ts";
import { resolveStreamsUrl } from "./streams_url.ts";

/**
 * The triggers' definitions, as the generated `.netscript/definitions/triggers.ts`
 * exports them (`definitions`): the files of `triggers/`.
 */
export interface TriggersDefinitions {
  /** The files under `triggers/`, each with its default export. */
  readonly triggers: readonly DefinitionFile[];
}

/** What every triggers entrypoint is given, from the generated definitions module. */
export interface TriggersProcessOptions {
  /** The plugin (`plugin` of `.netscript/definitions/triggers.ts`). */
  readonly plugin: PluginRuntime;
  /** The definitions (`definitions` of the same module). */
  readonly definitions: TriggersDefinitions;
}

/** What `trigger-processor` is given: the triggers, and the workers it starts jobs on. */
export interface TriggerProcessorOptions extends TriggersProcessOptions {
  /** `plugin` and `definitions` of `.netscript/definitions/workers.ts`: where jobs are enqueued. */
  readonly workers: {
    readonly plugin: PluginRuntime;
    readonly definitions: WorkersDefinitions;
  };
}

/**
 * The `triggers` config topic `trigger-processor` follows. Each field is
 * optional; a field left out keeps its default.
 */
export interface TriggersConfig {
  /** Deliveries dispatched at once, 1–1000 (default 16). */
  readonly concurrency?: number | undefined;
  /** Dispatch attempts per delivery before it is failed, 1–100 (default 5). */
  readonly maxAttempts?: number | undefined;
  /** Days settled deliveries (and their deduplication keys) are kept, 1–3650 (default 30). */
  readonly retentionDays?: number | undefined;
}

/** The name of the triggers' config topic. */
const CONFIG_TOPIC = "triggers";

/** The port `triggers-api` listens on when `PORT` is unset. */
const DEFAULT_API_PORT = 8093;

/**
 * The `triggers-api` process (the workspace's
 * `plugins/triggers/services/src/main.ts` calls it): opens the store
 * `TRIGGERS_STORE` selects, reads each webhook's secret, and serves the
 * webhook ingress at `/hooks/{name}` and the management contract on
 * `PORT` (8093) until SIGINT or SIGTERM.
 *
 * @param options `plugin` and `definitions` from `.netscript/definitions/triggers.ts`.
 * @returns The running service.
 * @throws {NetScriptError} `TRIGGERS_DUPLICATE_NAME`, `TRIGGERS_INVALID_DEFINITION`,
 * `RUNTIME_INVALID_SETTING`, the store's codes.
 *
 * @example
 * ```ts ignore
 * import { serveTriggersApi } from "@netscript/plugin-triggers";
 * import { definitions, plugin } from "../../../../.netscript/definitions/triggers.ts";
 *
 * await serveTriggersApi({ plugin, definitions });
 * ```
 */
export function serveTriggersApi(options: TriggersProcessOptions): Promise<RunningService> {
  return servePluginApi({
    plugin: options.plugin,
    resource: `${options.plugin.slug}-api`,
    defaultPort: DEFAULT_API_PORT,
    contractVersions: TRIGGERS_CONTRACT_VERSIONS,
    service: async (context: PluginApiContext) => {
      const triggers = triggersByName(options.definitions.triggers);
      const opened = await openDeliveryStore(context.env, context.logger);
      context.onClose(() => opened.store.close());
      context.logger.info("delivery store open", {
        store: opened.kind,
        location: opened.location,
        triggers: [...triggers.keys()],
      });
      return createTriggersService({ store: opened.store, triggers, logger: context.logger });
    },
  });
}

/**
 * The `trigger-processor` process: records the cron triggers' ticks, the
 * messages of the event triggers' stream topics and the changes of the
 * jobs and sagas event triggers watch, and dispatches every recorded
 * delivery to its job or saga, exactly once, until SIGINT or SIGTERM;
 * prunes settled deliveries older than the retention. It follows the
 * `triggers` config topic (`concurrency`, `maxAttempts`, `retentionDays`)
 * while it runs. Event triggers on topics read them from the streams
 * plugin's `streams-api`, found by the discovery variables
 * (`services__streams-api__http__0`) every process of the workspace gets.
 * When the workspace has the sagas plugin (a `sagas-api` among those
 * variables), the saga store (`openSagaStore` of `@netscript/plugin-sagas`)
 * is opened at start, to tell it which saga changes to record, and closed
 * on stop; without it, a delivery whose dispatch returns a saga fails with
 * `TRIGGERS_SAGAS_MISSING`.
 *
 * @param options The triggers' and the workers' `plugin` and `definitions`.
 * @returns Resolves once the processor has stopped.
 * @throws {NetScriptError} As {@linkcode serveTriggersApi}, the job store's
 * codes, `TRIGGERS_STREAMS_MISSING` when the workspace has event triggers
 * on topics but no streams plugin, and `TRIGGERS_SAGAS_MISSING` when it
 * has event triggers on sagas but no sagas plugin.
 *
 * @example
 * ```ts ignore
 * import { runTriggerProcessor } from "@netscript/plugin-triggers";
 * import { definitions, plugin } from "../../../.netscript/definitions/triggers.ts";
 * import * as workers from "../../../.netscript/definitions/workers.ts";
 *
 * await runTriggerProcessor({ plugin, definitions, workers });
 * ```
 */
export function runTriggerProcessor(options: TriggerProcessorOptions): Promise<void> {
  return runProcessor({
    plugin: options.plugin,
    resource: "trigger-processor",
    parts: async (context) => {
      const triggers = triggersByName(options.definitions.triggers);
      const events = [...triggers.values()].filter((t): t is EventDefinition => t.type === "event");
      const onTopics = events.filter((event) => event.on.topic !== undefined);
      const streamsUrl = onTopics.length === 0
        ? undefined
        : resolveStreamsUrl(context.env, onTopics.map((event) => event.name));
      const sagasPresent = hasSagasPlugin(context.env);
      _requireSagas(sagasPresent, events);
      const opened = await openDeliveryStore(context.env, context.logger);
      context.onClose(() => opened.store.close());
      const jobs = await openWorkersClient({ ...options.workers, env: context.env });
      context.onClose(() => jobs.close());
      context.logger.info("trigger processor stores open", {
        store: opened.kind,
        location: opened.location,
        jobStore: jobs.store.kind,
      });
      const sagas = sagasPresent ? createLazySagaStarter(context.env, context.logger) : undefined;
      if (sagas !== undefined) context.onClose(() => sagas.close());
      const dispatcher = createDispatcher({
        store: opened.store,
        triggers,
        jobs: jobs.client,
        sagas,
        logger: context.logger,
      });
      const crons = [...triggers.values()].filter((t): t is CronDefinition => t.type === "cron");
      const prune = createPruneLoop({ store: opened.store, logger: context.logger });
      return [
        dispatcher,
        createCronTicker({ store: opened.store, crons, logger: context.logger }),
        ...(streamsUrl === undefined ? [] : [
          createEventFollower({ store: opened.store, events, streamsUrl, logger: context.logger }),
        ]),
        createStateFollower({
          store: opened.store,
          events,
          sources: [
            _jobSource(jobs.store.queue),
            ...(sagas === undefined ? [] : [_sagaSource(sagas)]),
          ],
          logger: context.logger,
        }),
        prune,
        _followConfig(context, dispatcher, prune),
      ];
    },
  });
}

/**
 * Refuses to start when an event trigger watches a saga in a workspace
 * without the sagas plugin: its changes could never be recorded.
 */
function _requireSagas(sagasPresent: boolean, events: readonly EventDefinition[]): void {
  const onSagas = events.filter((event) => event.on.saga !== undefined).map((event) => event.name);
  if (sagasPresent || onSagas.length === 0) return;
  throw new NetScriptError<TriggersErrorCode>(
    "TRIGGERS_SAGAS_MISSING",
    `Event trigger${onSagas.length === 1 ? "" : "s"} ${
      onSagas.map((name) => `"${name}"`).join(", ")
    } watch${
      onSagas.length === 1 ? "es" : ""
    } a saga, but the workspace has no sagas plugin: add it with \`netscript plugin add sagas\`, or remove those triggers`,
    { details: { triggers: onSagas, service: "sagas-api" } },
  );
}

/** The job store, as the state follower reads it. */
function _jobSource(queue: JobQueue): WatchedStore {
  return {
    kind: "job",
    log: queue,
    snapshot: async (id) => {
      const job = await queue.get(id);
      return job === null ? null : { input: job.input, output: null };
    },
  };
}

/** The saga store, opened on first use, as the state follower reads it. */
function _sagaSource(sagas: LazySagaStarter): WatchedStore {
  return {
    kind: "saga",
    log: {
      watchStates: async (watched) => await (await sagas.openStore()).watchStates(watched),
      readStateEvents: async (limit) => await (await sagas.openStore()).readStateEvents(limit),
      removeStateEvents: async (ids) => await (await sagas.openStore()).removeStateEvents(ids),
    },
    snapshot: async (id) => {
      const detail = await (await sagas.openStore()).get(id);
      if (detail === null) return null;
      const { input, output } = detail.saga;
      return { input: decodeSagaValue(input), output: decodeSagaValue(output) };
    },
  };
}

/** Applies each value of the `triggers` config topic to the dispatcher and the pruning. */
function _followConfig(
  context: ProcessorContext,
  dispatcher: Dispatcher,
  prune: PruneLoop,
): ProcessorPart {
  return context.watchConfig<TriggersConfig>(CONFIG_TOPIC, (config, revision) => {
    dispatcher.configure({
      concurrency: config.concurrency,
      maxAttempts: config.maxAttempts,
    });
    prune.configure(config.retentionDays);
    context.logger.info("triggers config applied", {
      topic: CONFIG_TOPIC,
      revision,
      ...config,
    });
  });
}
