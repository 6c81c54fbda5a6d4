/**
 * Running a plugin's background processor: settings from the environment,
 * a logger and span namespace for the plugin, its config topics, and a
 * graceful stop on SIGINT or SIGTERM inside the runner's grace period.
 *
 * @module
 */
import { NetScriptError } from "@netscript/contracts/errors";
import type { PluginRuntime } from "@netscript/plugin";
import type { ConfigListener, ConfigTopic } from "@netscript/runtime-config";
import type { Logger } from "@netscript/telemetry";
import { type EnvReader, processEnv } from "@netscript/store";
import type { ProcessorPart } from "./_plugin_config.ts";
import { openProcessScope } from "./_process_scope.ts";
import type { PluginProcessOptions } from "./plugin_process_options.ts";
import { type ProcessorSettings, readProcessorSettings } from "./processor_settings.ts";
import { readOrReport } from "./_read_or_report.ts";
import { stopRequest } from "./_stop_signal.ts";

export type { ProcessorPart } from "./_plugin_config.ts";

/**
 * How long stopping may take in all, from the signal to the last part
 * stopped and every resource closed: the parts' grace (3 s) plus time to
 * hand unfinished work back, and below `netscript dev`'s 5 s between
 * SIGTERM and SIGKILL.
 */
export const STOP_DEADLINE_MS = 4_500;

/** What a processor's parts are built with. */
export interface ProcessorContext {
  /** The plugin, from its generated definitions module. */
  readonly plugin: PluginRuntime;
  /** The process's resource name, e.g. `workers-worker`: the logger's `service`. */
  readonly resource: string;
  /** The process's logger, at `<PREFIX>_LOG_LEVEL`. */
  readonly logger: Logger;
  /** Where the process reads variables. */
  readonly env: EnvReader;
  /** The checked settings: log level, `WORKER_CONCURRENCY`, the shutdown grace. */
  readonly settings: ProcessorSettings;
  /** Aborts when the process starts stopping. */
  readonly signal: AbortSignal;
  /**
   * A config topic the plugin declares; the workspace's config store opens
   * on the first call and closes when the process stops.
   *
   * @param name The topic's name, e.g. `workers`.
   * @returns The topic: `get()`, `watch()`, `set()`.
   * @throws {NetScriptError} `RUNTIME_UNKNOWN_TOPIC`; `STORE_UNAVAILABLE`.
   */
  config<T = unknown>(name: string): Promise<ConfigTopic<T>>;
  /**
   * A part that follows a config topic while the process runs: `listener`
   * gets the value in force, then each new valid value (invalid ones are
   * logged with their issues and skipped). A store that fails is logged
   * and retried.
   *
   * @param name The topic's name.
   * @param listener Called with each value and its revision.
   * @returns The part, to return among the processor's parts.
   * @throws {NetScriptError} `RUNTIME_UNKNOWN_TOPIC`.
   */
  watchConfig<T = unknown>(name: string, listener: ConfigListener<T>): ProcessorPart;
  /**
   * Registers what to close once every part has stopped (a store, a
   * pool); closed last registered first.
   *
   * @param close Closes the resource.
   */
  onClose(close: () => void | Promise<void>): void;
}

/** Options of {@linkcode runProcessor}. */
export interface RunProcessorOptions extends PluginProcessOptions {
  /**
   * Builds the parts to run (a worker, a scheduler, a config watch): open
   * stores here and register their closing with `context.onClose`.
   *
   * @param context The logger, settings and config topics.
   * @returns The parts, started together and stopped together.
   */
  parts(context: ProcessorContext): readonly ProcessorPart[] | Promise<readonly ProcessorPart[]>;
  /** Stops the processor when it aborts. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * Runs a plugin's background processor until SIGINT or SIGTERM: reads and
 * checks its settings (`<PREFIX>_LOG_LEVEL`, `WORKER_CONCURRENCY`), sets the
 * span namespace the plugin declares, builds its parts, starts them, and
 * on the first signal stops them (they have `settings.shutdownGraceMs`, 3 s,
 * to finish their work) and closes what they registered, all within
 * {@linkcode STOP_DEADLINE_MS}. When a part fails, the others are stopped
 * and the failure is thrown.
 *
 * @param options The plugin, the resource name and the parts.
 * @returns Resolves once everything has stopped and closed.
 * @throws {NetScriptError} `RUNTIME_INVALID_SETTING` for a setting that cannot
 * be used (before anything starts); `RUNTIME_STOP_TIMEOUT` when stopping
 * outlasts the deadline; whatever building or running a part threw.
 *
 * @example
 * ```ts
 * import { envFrom, runProcessor } from "@netscript/runtime";
 *
 * const stop = new AbortController();
 * setTimeout(() => stop.abort(), 50);
 * await runProcessor({
 *   plugin: {
 *     name: "@acme/plugin-billing",
 *     version: "0.1.0",
 *     type: "background-processor",
 *     slug: "billing",
 *     envPrefix: "BILLING",
 *     telemetry: { namespace: "billing" },
 *     configTopics: [],
 *     streamTopics: [],
 *     workspaceStreamTopics: [],
 *   },
 *   resource: "billing-ticker",
 *   env: envFrom({ BILLING_LOG_LEVEL: "warn" }),
 *   handleSignals: false,
 *   signal: stop.signal,
 *   parts: ({ logger }) => {
 *     let timer: ReturnType<typeof setInterval> | undefined;
 *     const done = Promise.withResolvers<void>();
 *     return [{
 *       start: () => {
 *         timer = setInterval(() => logger.info("tick"), 10);
 *         return done.promise;
 *       },
 *       stop: () => {
 *         clearInterval(timer);
 *         done.resolve();
 *         return Promise.resolve();
 *       },
 *     }];
 *   },
 * });
 * ```
 */
export async function runProcessor(options: RunProcessorOptions): Promise<void> {
  const { plugin, resource } = options;
  const env = options.env ?? processEnv;
  const settings = readOrReport(
    () => readProcessorSettings({ prefix: plugin.envPrefix, env }),
    resource,
    options.logger,
  );
  const { logger, config, onClose, closeAll } = openProcessScope(options, {
    env,
    level: settings.logLevel,
  });
  const stop = stopRequest(options);
  const context: ProcessorContext = {
    plugin,
    resource,
    logger,
    env,
    settings,
    signal: stop.signal,
    config: (name) => config.topic(name),
    watchConfig: (name, listener) => config.watch(name, listener),
    onClose,
  };

  let parts: readonly ProcessorPart[];
  try {
    parts = await options.parts(context);
  } catch (error) {
    stop.dispose();
    logger.error("processor cannot start", { error });
    await closeAll();
    throw error;
  }
  logger.info("processor started", { pid: Deno.pid, concurrency: settings.concurrency });
  const running = Promise.all(parts.map((part) => part.start()));
  const outcome = await Promise.race([
    stop.requested.then((reason) => ({ reason, failure: undefined })),
    running.then(
      () => ({ reason: "finished", failure: undefined }),
      (failure: unknown) => ({ reason: "failed", failure }),
    ),
  ]);
  stop.dispose();
  if (outcome.failure === undefined) logger.info("processor stopping", { reason: outcome.reason });
  else logger.error("a part failed; stopping the others", { error: outcome.failure });

  const started = performance.now();
  const stopped = (async () => {
    const results = await Promise.allSettled(parts.map((part) => part.stop()));
    for (const result of results) {
      if (result.status === "rejected") {
        logger.error("a part failed to stop", { error: result.reason });
      }
    }
    await running.catch(() => {/* reported above */});
    await closeAll();
  })();
  if (!(await _within(stopped, STOP_DEADLINE_MS))) {
    const error = new NetScriptError(
      "RUNTIME_STOP_TIMEOUT",
      `${resource} did not stop within ${STOP_DEADLINE_MS} ms of being asked to; exiting without waiting for its parts`,
      { details: { resource, deadlineMs: STOP_DEADLINE_MS } },
    );
    logger.error("processor did not stop in time", { error });
    throw error;
  }
  logger.info("processor stopped", {
    reason: outcome.reason,
    durationMs: Math.round(performance.now() - started),
  });
  if (outcome.failure !== undefined) throw outcome.failure;
}

/** Whether `work` settles within `ms`. */
async function _within(work: Promise<void>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<false>((resolve) => timer = setTimeout(() => resolve(false), ms));
  try {
    return await Promise.race([work.then(() => true), late]);
  } finally {
    clearTimeout(timer);
  }
}
