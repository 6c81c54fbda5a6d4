/**
 * Reading a process's settings so that one it cannot use shows in its JSON
 * log, with its code, before the process ends.
 *
 * @module
 */
import { createLogger, type Logger } from "@netscript/telemetry";

/**
 * Reads settings; a failure is logged as `process cannot start` (at the
 * default level, since the level itself may be the bad setting) and thrown.
 *
 * @param read Reads the settings.
 * @param resource The process's resource name, the log line's `service`.
 * @param logger The process's own logger, when the caller gave one.
 * @returns The settings.
 */
export function readOrReport<T>(read: () => T, resource: string, logger?: Logger): T {
  try {
    return read();
  } catch (error) {
    (logger ?? createLogger({ service: resource })).error("process cannot start", { error });
    throw error;
  }
}
