/**
 * Serving a plugin's HTTP API: the port from `PORT`, checked; the plugin's
 * logger, span namespace and config topics; resources closed on shutdown.
 *
 * @module
 */
import type { AnyContractRouter } from "@orpc/contract";
import { NetScriptError } from "@netscript/contracts/errors";
import type { ContractVersionContribution, PluginRuntime } from "@netscript/plugin";
import type { ConfigTopic } from "@netscript/runtime-config";
import type { RunningService, Service } from "@netscript/service";
import type { Logger } from "@netscript/telemetry";
import { type EnvReader, processEnv, readVariable } from "@netscript/store";
import { openProcessScope } from "./_process_scope.ts";
import { loadContractVersions } from "./contract_versions.ts";
import type { PluginProcessOptions } from "./plugin_process_options.ts";
import { readLogLevel } from "./processor_settings.ts";
import { readOrReport } from "./_read_or_report.ts";
import type { RuntimeErrorCode } from "./runtime_error_codes.ts";
import { readIntegerSetting } from "./settings.ts";

/** What a plugin's service is built with. */
export interface PluginApiContext {
  /** The plugin, from its generated definitions module. */
  readonly plugin: PluginRuntime;
  /** The service's resource name, e.g. `workers-api`: the logger's `service`. */
  readonly resource: string;
  /** The process's logger, at `<PREFIX>_LOG_LEVEL`: pass it to `createService`. */
  readonly logger: Logger;
  /** Where the process reads variables. */
  readonly env: EnvReader;
  /** The port the service will listen on. */
  readonly port: number;
  /**
   * The contract of each version in `contractVersions`, by name (`v1`),
   * as its loader loaded it: serve each of them (the newest as
   * `currentVersion`, the others as `versions` of `createService`).
   */
  readonly contracts: ReadonlyMap<string, AnyContractRouter>;
  /**
   * A config topic the plugin declares; the workspace's config store opens
   * on the first call and closes on shutdown.
   *
   * @param name The topic's name.
   * @returns The topic.
   * @throws {NetScriptError} `RUNTIME_UNKNOWN_TOPIC`; `STORE_UNAVAILABLE`.
   */
  config<T = unknown>(name: string): Promise<ConfigTopic<T>>;
  /**
   * Registers what to close once the server has stopped (a store, a pool);
   * closed last registered first.
   *
   * @param close Closes the resource.
   */
  onClose(close: () => void | Promise<void>): void;
}

/** Options of {@linkcode servePluginApi}. */
export interface ServePluginApiOptions extends PluginProcessOptions {
  /** The port when `PORT` is unset: the manifest's port, e.g. 8091. */
  readonly defaultPort: number;
  /**
   * The contract versions the plugin's manifest declares
   * (`manifest.contractVersions`): each is loaded before the service is
   * built and handed to it as `context.contracts`, and the service must
   * serve every one of them by name.
   * @default {[]}
   */
  readonly contractVersions?: readonly ContractVersionContribution[];
  /**
   * Builds the service (with `createService`, passing `context.logger`):
   * open stores here and register their closing with `context.onClose`.
   *
   * @param context The logger, port and config topics.
   * @returns The service to serve.
   */
  service(context: PluginApiContext): Service | Promise<Service>;
  /**
   * The interface to listen on; `"0.0.0.0"` accepts connections from other
   * machines.
   * @default {the `HOST` variable of `env` when set, else "127.0.0.1"}
   */
  readonly hostname?: string | undefined;
}

/**
 * Serves a plugin's API: reads and checks `PORT` (an integer from 0 to
 * 65535, `defaultPort` when unset) and `<PREFIX>_LOG_LEVEL` before
 * anything opens, sets the span namespace the plugin declares, loads the
 * contract versions its manifest declares, builds the service (which must
 * serve each of them), and serves it on `127.0.0.1` (or `hostname`, or `HOST`) with
 * graceful shutdown on SIGINT or SIGTERM, then
 * closes what the service registered. A store that cannot be used is
 * answered `503 SERVICE_UNAVAILABLE` by the service itself.
 *
 * @param options The plugin, the resource name, the default port and the service.
 * @returns The running service; `await running.finished` to serve until stopped.
 * @throws {NetScriptError} `RUNTIME_INVALID_SETTING` for a `PORT` or log level
 * that cannot be used; `RUNTIME_CONTRACT_VERSION_INVALID` for a declared
 * contract version that cannot be loaded or that the service does not serve; whatever building the service threw (after closing
 * what it had registered).
 *
 * @example
 * ```ts ignore
 * import { servePluginApi } from "@netscript/runtime";
 * import { plugin } from "../../.netscript/definitions/billing.ts";
 * import { createBillingService, openBillingStore } from "../src/mod.ts";
 *
 * const running = await servePluginApi({
 *   plugin,
 *   resource: "billing-api",
 *   defaultPort: 8190,
 *   service: async ({ logger, onClose }) => {
 *     const store = await openBillingStore();
 *     onClose(() => store.close());
 *     return createBillingService({ store, logger });
 *   },
 * });
 * await running.finished;
 * ```
 */
export async function servePluginApi(options: ServePluginApiOptions): Promise<RunningService> {
  const { plugin, resource } = options;
  const env = options.env ?? processEnv;
  const { port, level } = readOrReport(
    () => ({
      port: readIntegerSetting("PORT", { env, default: options.defaultPort, min: 0, max: 65_535 }),
      level: readLogLevel(plugin.envPrefix, env),
    }),
    resource,
    options.logger,
  );
  const { logger, config, onClose, closeAll } = openProcessScope(options, { env, level });
  let service: Service;
  try {
    const declared = options.contractVersions ?? [];
    const contracts = await loadContractVersions(plugin.name, declared);
    service = await options.service({
      plugin,
      resource,
      logger,
      env,
      port,
      contracts,
      config: (name) => config.topic(name),
      onClose,
    });
    const missing = declared.map(({ version }) => version).filter((version) =>
      !service.versions.includes(version)
    );
    if (missing.length > 0) {
      throw new NetScriptError<RuntimeErrorCode>(
        "RUNTIME_CONTRACT_VERSION_INVALID",
        `${resource} does not serve contract ${
          missing.join(", ")
        } of plugin "${plugin.name}", which its manifest declares; serve it with createService's currentVersion or versions`,
        { details: { plugin: plugin.name, resource, missing, served: service.versions } },
      );
    }
  } catch (error) {
    logger.error("service cannot start", { error });
    await closeAll();
    throw error;
  }
  return service.serve({
    port,
    hostname: options.hostname ?? readVariable(env, "HOST") ?? "127.0.0.1",
    ...(options.handleSignals === undefined ? {} : { handleSignals: options.handleSignals }),
    onShutdown: closeAll,
  });
}
