/**
 * A logger for in-process services in tests that exercise failure paths on
 * purpose: its lines are kept in memory, so a test can assert on them and
 * the test log shows only what the test runner itself reports.
 *
 * @module
 */
import { createLogger, type Logger } from "@netscript/telemetry";

/** A logger and the lines it wrote. */
export interface CapturedLogger {
  /** The logger to hand to the service. */
  logger: Logger;
  /** Every line written so far, parsed, oldest first. */
  records: Record<string, unknown>[];
}

/**
 * Creates a logger that keeps its lines instead of printing them.
 *
 * @param service The service name written on every line.
 * @returns The logger and its records.
 * @example
 * ```ts
 * import { capturedLogger } from "./captured_logger.ts";
 *
 * const { logger, records } = capturedLogger("api");
 * logger.error("request failed", { status: 500 });
 * console.log(records[0]?.msg); // "request failed"
 * ```
 */
export function capturedLogger(service: string): CapturedLogger {
  const records: Record<string, unknown>[] = [];
  const logger = createLogger({
    service,
    level: "debug",
    sink: (line) => records.push(JSON.parse(line)),
  });
  return { logger, records };
}
