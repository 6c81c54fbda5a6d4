import { trace } from "@opentelemetry/api";

/** Severity of a log line, lowest first. */
export type LogLevel = "debug" | "info" | "warn" | "error";

/** Extra structured fields of a log line. Errors are expanded to name, message and stack. */
export type LogFields = Readonly<Record<string, unknown>>;

/** Writes one finished JSON log line. */
export type LogSink = (line: string, level: LogLevel) => void;

/** A structured JSON logger: one line per call, with the active trace id. */
export interface Logger {
  /** Logs at `debug`. */
  debug(message: string, fields?: LogFields): void;
  /** Logs at `info`. */
  info(message: string, fields?: LogFields): void;
  /** Logs at `warn`. */
  warn(message: string, fields?: LogFields): void;
  /** Logs at `error`. */
  error(message: string, fields?: LogFields): void;
  /** Tells whether lines of `level` are written, to skip building costly fields. */
  enabled(level: LogLevel): boolean;
}

/** Options of {@linkcode createLogger}. */
export interface CreateLoggerOptions {
  /** The service name written on every line as `service`. */
  service: string;
  /**
   * Lines below this level are dropped.
   * @default {"info"}
   */
  level?: LogLevel;
  /**
   * Where finished lines go.
   * @default {writes `debug`/`info` to stdout, batched until the next turn of the event loop, and `warn`/`error` to stderr at once}
   */
  sink?: LogSink;
}

const LEVEL_RANK: Readonly<Record<LogLevel, number>> = { debug: 10, info: 20, warn: 30, error: 40 };

const encoder = new TextEncoder();

/**
 * Debug and info lines not yet written to stdout. They go out together on
 * the next turn of the event loop (one write for the lines of every request
 * answered in this turn instead of a system call each), before any warning or error is written,
 * when 64 KiB are waiting, and when the process exits or an uncaught error
 * is about to end it.
 */
let pendingStdout = "";
let stdoutFlushQueued = false;
const PENDING_STDOUT_MAX = 65_536;

/** Writes the waiting debug and info lines to stdout. */
function _flushStdout(): void {
  stdoutFlushQueued = false;
  if (pendingStdout === "") return;
  const text = pendingStdout;
  pendingStdout = "";
  _writeAll(Deno.stdout, text);
}

// An exit, and an uncaught error that is about to end the process, write what waits first.
for (const event of ["unload", "error", "unhandledrejection"]) {
  globalThis.addEventListener(event, _flushStdout);
}

/** Writes all of `text` to a stream, or nothing once its reader is gone. */
function _writeAll(stream: typeof Deno.stdout | typeof Deno.stderr, text: string): void {
  const bytes = encoder.encode(text);
  let written = 0;
  try {
    while (written < bytes.length) written += stream.writeSync(bytes.subarray(written));
  } catch (error) {
    // Whoever read this stream is gone (a killed parent): there is nowhere
    // left to report to, and failing here would break a shutdown in progress.
    if (!(error instanceof Deno.errors.BrokenPipe)) throw error;
  }
}

/**
 * Writes `debug` and `info` lines to stdout, batched ({@linkcode pendingStdout}),
 * and `warn` and `error` lines to stderr at once, each after the stdout lines
 * logged before it.
 */
const stdioSink: LogSink = (line, level) => {
  if (level === "warn" || level === "error") {
    _flushStdout();
    _writeAll(Deno.stderr, `${line}\n`);
    return;
  }
  pendingStdout += `${line}\n`;
  if (pendingStdout.length >= PENDING_STDOUT_MAX) {
    _flushStdout();
  } else if (!stdoutFlushQueued) {
    stdoutFlushQueued = true;
    // Unreferenced: a process with nothing else to do exits, and writes them at exit.
    Deno.unrefTimer(Number(setTimeout(_flushStdout, 0)));
  }
};

/**
 * Creates a logger that writes one JSON object per line: `time`, `level`,
 * `service`, `msg`, the active span's `traceId` and `spanId` when there is
 * one, and the given fields.
 *
 * @param options The service name, minimum level and sink.
 * @returns The logger.
 *
 * @example
 * ```ts
 * import { createLogger } from "@netscript/telemetry";
 *
 * const log = createLogger({ service: "users" });
 * log.info("user created", { userId: "u1" });
 * ```
 */
export function createLogger(options: CreateLoggerOptions): Logger {
  const minimum = LEVEL_RANK[options.level ?? "info"];
  const sink = options.sink ?? stdioSink;
  const write = (level: LogLevel, message: string, fields?: LogFields): void => {
    if (LEVEL_RANK[level] < minimum) return;
    const record: Record<string, unknown> = {
      time: _timestamp(),
      level,
      service: options.service,
      msg: message,
    };
    // A line that names its trace (a request line, written after its span ended) keeps it.
    const spanContext = fields?.traceId === undefined
      ? trace.getActiveSpan()?.spanContext()
      : undefined;
    if (spanContext) {
      record.traceId = spanContext.traceId;
      record.spanId = spanContext.spanId;
    }
    let plain = true;
    if (fields) {
      for (const key in fields) {
        const value = fields[key];
        if (typeof value === "object" ? value !== null : typeof value === "bigint") plain = false;
        record[RESERVED_KEYS.has(key) ? `field.${key}` : key] = value;
      }
    }
    sink(plain ? JSON.stringify(record) : _stringify(record), level);
  };
  return {
    debug: (message, fields) => write("debug", message, fields),
    info: (message, fields) => write("info", message, fields),
    warn: (message, fields) => write("warn", message, fields),
    error: (message, fields) => write("error", message, fields),
    enabled: (level) => LEVEL_RANK[level] >= minimum,
  };
}

let lastMillis = 0;
let lastTimestamp = "";

/** The current time as ISO 8601, formatted once per millisecond (formatting costs more than a log line). */
function _timestamp(): string {
  const now = Date.now();
  if (now !== lastMillis) {
    lastMillis = now;
    lastTimestamp = new Date(now).toISOString();
  }
  return lastTimestamp;
}

/** Keys every line has; a field with one of these names is written as `field.<name>`. */
const RESERVED_KEYS: ReadonlySet<string> = new Set(["time", "level", "service", "msg"]);

/**
 * Serialises a record without ever throwing: errors (at any depth, even those
 * with a `toJSON`) become `{ …own fields, name, message, stack, cause }`,
 * bigints become strings, a value met again inside itself becomes
 * `"[Circular]"`, and a value that cannot be read becomes `"[Unserialisable: …]"`.
 */
function _stringify(record: Record<string, unknown>): string {
  return JSON.stringify(_plain(record, []));
}

function _plain(value: unknown, ancestors: readonly object[]): unknown {
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "function" || typeof value === "symbol") return undefined;
  if (typeof value !== "object" || value === null) return value;
  if (ancestors.includes(value)) return "[Circular]";
  const path = [...ancestors, value];
  try {
    if (Array.isArray(value)) return value.map((item) => _plain(item, path));
    if (value instanceof Error) {
      const expanded: Record<string, unknown> = {};
      for (const [key, field] of Object.entries(value)) expanded[key] = _plain(field, path);
      expanded.name = value.name;
      expanded.message = value.message;
      expanded.stack = value.stack;
      if (value.cause !== undefined) expanded.cause = _plain(value.cause, path);
      return expanded;
    }
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === "function") return _plain(toJSON.call(value), path);
    const plain: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) plain[key] = _plain(field, path);
    return plain;
  } catch (error) {
    return `[Unserialisable: ${error instanceof Error ? error.message : String(error)}]`;
  }
}
