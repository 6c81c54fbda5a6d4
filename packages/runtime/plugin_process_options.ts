import type { PluginRuntime } from "@netscript/plugin";
import type { ConfigStore } from "@netscript/runtime-config";
import type { EnvReader } from "@netscript/store";
import type { Logger } from "@netscript/telemetry";

/** What `runProcessor` and `servePluginApi` both take: the process, and what a caller may supply. */
export interface PluginProcessOptions {
  /** The plugin, as its generated `.netscript/definitions/<slug>.ts` exports it. */
  readonly plugin: PluginRuntime;
  /** The resource this process is, e.g. `workers-worker` or `workers-api`. */
  readonly resource: string;
  /**
   * Where variables are read.
   * @default {processEnv}
   */
  readonly env?: EnvReader | undefined;
  /**
   * Stop on the first SIGINT or SIGTERM. Turn off when the caller manages
   * the process (tests, embedding) and stops it itself.
   * @default {true}
   */
  readonly handleSignals?: boolean | undefined;
  /**
   * The logger.
   * @default {a JSON logger named after the resource, at `<PREFIX>_LOG_LEVEL`}
   */
  readonly logger?: Logger | undefined;
  /**
   * The config store to read topics from; it is not closed with the process.
   * @default {the workspace's, from `openConfigStore`, opened when a topic is first asked for}
   */
  readonly configStore?: ConfigStore | undefined;
}
