/**
 * What `runProcessor` and `servePluginApi` set up the same way: the span
 * namespace, the logger, the plugin's config topics, and the resources to
 * close when the process ends.
 *
 * @module
 */
import type { EnvReader } from "@netscript/store";
import { createLogger, type Logger, type LogLevel } from "@netscript/telemetry";
import { configurePluginTelemetry } from "./configure_plugin_telemetry.ts";
import { PluginConfig } from "./_plugin_config.ts";
import type { PluginProcessOptions } from "./plugin_process_options.ts";

/** A process's logger, config topics and closers. */
export interface ProcessScope {
  /** The process's logger. */
  readonly logger: Logger;
  /** The plugin's config topics. */
  readonly config: PluginConfig;
  /** Registers what to close at the end; closed last registered first. */
  onClose(close: () => void | Promise<void>): void;
  /** Closes what was registered, then the config store; failures are logged, not thrown. */
  closeAll(): Promise<void>;
}

/**
 * Sets the span namespace the plugin declares and opens the scope of one
 * of its processes.
 *
 * @param options The process's options (a logger or config store given by the caller is used).
 * @param settings Where variables are read, and the log level already read from them.
 * @returns The scope.
 */
export function openProcessScope(
  options: PluginProcessOptions,
  settings: { readonly env: EnvReader; readonly level: LogLevel },
): ProcessScope {
  configurePluginTelemetry(options.plugin);
  const logger = options.logger ??
    createLogger({ service: options.resource, level: settings.level });
  const config = new PluginConfig(options.plugin, {
    env: settings.env,
    logger,
    store: options.configStore,
  });
  const closers: (() => void | Promise<void>)[] = [];
  return {
    logger,
    config,
    onClose: (close) => void closers.push(close),
    async closeAll() {
      for (const close of [...closers.reverse(), () => config.close()]) {
        try {
          await close();
        } catch (error) {
          logger.error("a resource failed to close", { error });
        }
      }
    },
  };
}
