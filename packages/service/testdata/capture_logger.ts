/**
 * A logger that keeps its records in memory, for asserting log lines.
 *
 * @module
 */
import { createLogger, type Logger } from "@netscript/telemetry";

/** A logger plus the parsed records it wrote. */
export interface CapturedLogger {
  logger: Logger;
  records: Record<string, unknown>[];
}

export function captureLogger(service = "users"): CapturedLogger {
  const records: Record<string, unknown>[] = [];
  const logger = createLogger({
    service,
    level: "debug",
    sink: (line) => records.push(JSON.parse(line)),
  });
  return { logger, records };
}
