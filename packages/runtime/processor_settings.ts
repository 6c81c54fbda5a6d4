/**
 * The settings every background processor reads from its environment.
 *
 * @module
 */
import type { LogLevel } from "@netscript/telemetry";
import { type EnvReader, processEnv } from "@netscript/store";
import { readEnumSetting, readIntegerSetting } from "./settings.ts";

/** The log levels a `<PREFIX>_LOG_LEVEL` variable may name. */
export const LOG_LEVELS: readonly LogLevel[] = ["debug", "info", "warn", "error"];

/**
 * How long a stopping processor lets its parts finish their work (a
 * worker's running jobs) before they give it back: below `netscript dev`'s
 * 5 s between SIGTERM and SIGKILL, so work is handed back rather than
 * killed mid-way.
 */
export const SHUTDOWN_GRACE_MS = 3_000;

/** The most units of work one process may run at once (`WORKER_CONCURRENCY`). */
export const MAX_CONCURRENCY = 1_000;

/** What a processor reads from its environment before it starts. */
export interface ProcessorSettings {
  /** From `<PREFIX>_LOG_LEVEL`: `debug`, `info` (default), `warn` or `error`. */
  readonly logLevel: LogLevel;
  /**
   * From `WORKER_CONCURRENCY`: units of work run at once, 1 to 1000,
   * default 1. The runner sets it from the manifest's `concurrency`.
   */
  readonly concurrency: number;
  /** How long parts may finish their work once stopping: {@linkcode SHUTDOWN_GRACE_MS}. */
  readonly shutdownGraceMs: number;
}

/** Options of {@linkcode readProcessorSettings}. */
export interface ReadProcessorSettingsOptions {
  /** The plugin's variable prefix, e.g. `WORKERS` for `WORKERS_LOG_LEVEL`. */
  readonly prefix: string;
  /**
   * Where variables are read.
   * @default {processEnv}
   */
  readonly env?: EnvReader | undefined;
}

/**
 * Reads and checks a processor's settings: `<PREFIX>_LOG_LEVEL` and
 * `WORKER_CONCURRENCY`.
 *
 * @param options The plugin's prefix and where to read.
 * @returns The settings.
 * @throws {NetScriptError} `RUNTIME_INVALID_SETTING` naming the variable, its
 * value and what it must be.
 *
 * @example
 * ```ts
 * import { envFrom, readProcessorSettings } from "@netscript/runtime";
 *
 * const settings = readProcessorSettings({
 *   prefix: "WORKERS",
 *   env: envFrom({ WORKER_CONCURRENCY: "4", WORKERS_LOG_LEVEL: "debug" }),
 * });
 * console.log(settings); // { logLevel: "debug", concurrency: 4, shutdownGraceMs: 3000 }
 * ```
 */
export function readProcessorSettings(options: ReadProcessorSettingsOptions): ProcessorSettings {
  const env = options.env ?? processEnv;
  return {
    logLevel: readLogLevel(options.prefix, env),
    concurrency: readIntegerSetting("WORKER_CONCURRENCY", {
      env,
      default: 1,
      min: 1,
      max: MAX_CONCURRENCY,
    }),
    shutdownGraceMs: SHUTDOWN_GRACE_MS,
  };
}

/**
 * A plugin process's log level: `<PREFIX>_LOG_LEVEL`, `info` when unset.
 *
 * @param prefix The plugin's variable prefix, e.g. `WORKERS`.
 * @param env Where variables are read.
 * @returns The level.
 * @throws {NetScriptError} `RUNTIME_INVALID_SETTING` for a value that is not a level.
 *
 * @example
 * ```ts
 * import { envFrom, readLogLevel } from "@netscript/runtime";
 *
 * console.log(readLogLevel("WORKERS", envFrom({ WORKERS_LOG_LEVEL: "debug" }))); // "debug"
 * ```
 */
export function readLogLevel(prefix: string, env: EnvReader = processEnv): LogLevel {
  return readEnumSetting(`${prefix}_LOG_LEVEL`, { env, values: LOG_LEVELS, default: "info" });
}
