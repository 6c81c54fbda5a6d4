/**
 * A logger that adds fixed fields (the saga, the step) to every line.
 *
 * @module
 */
import type { LogFields, Logger } from "@netscript/telemetry";

/**
 * Wraps a logger so every line carries `fields`.
 *
 * @param logger The logger.
 * @param fields What every line carries; a line's own fields win.
 * @returns The wrapped logger.
 */
export function scopedLogger(logger: Logger, fields: LogFields): Logger {
  return {
    debug: (message, more) => logger.debug(message, { ...fields, ...more }),
    info: (message, more) => logger.info(message, { ...fields, ...more }),
    warn: (message, more) => logger.warn(message, { ...fields, ...more }),
    error: (message, more) => logger.error(message, { ...fields, ...more }),
    enabled: (level) => logger.enabled(level),
  };
}
