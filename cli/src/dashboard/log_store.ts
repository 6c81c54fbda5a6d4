/**
 * The lines the processes of `netscript dev` printed, kept in memory for the
 * dashboard: a bounded ring (oldest lines evicted first) that can be queried
 * and followed live. NetScript's JSON log lines (see `@netscript/telemetry`'s
 * `createLogger`) are read for their time, level, message and trace id.
 *
 * @module
 */

/** Severity of a line, lowest first. */
export type LogLevel = "debug" | "info" | "warn" | "error";

/** One line a process printed. */
export interface LogEntry {
  /** Position in the store, increasing from 1. */
  readonly seq: number;
  /** ISO 8601: a JSON line's own `time` or `timestamp`, else when the line was received. */
  readonly time: string;
  /** The resource that printed it. */
  readonly resource: string;
  /** The stream it came on. */
  readonly stream: "stdout" | "stderr";
  /** A JSON line's `level`; else `warn` for a stderr line and `info` for a stdout line. */
  readonly level: LogLevel;
  /** A JSON line's `msg` (or `message`), else the text. Cut like `text`. */
  readonly message: string;
  /** A JSON line's `traceId` (32 hex digits, lower case) when it has one. */
  readonly traceId: string | null;
  /** The raw line, cut to 8 KiB of UTF-8 with a note of its full size at the end. */
  readonly text: string;
}

/** Which lines a query or a live listener wants. Every given field must match. */
export interface LogFilter {
  /** Only lines of this resource. */
  resource?: string;
  /** Only lines of this level or above. */
  level?: LogLevel;
  /** Only lines whose `text` holds this, ignoring case. */
  text?: string;
  /** Only lines of this trace (ignoring case). */
  traceId?: string;
  /** Only lines after this `seq`. */
  afterSeq?: number;
  /**
   * At most this many lines, the newest matches (queries only).
   * @default {500}
   */
  limit?: number;
}

/** The kept lines, with live subscription. */
export interface LogStore {
  /**
   * Records a line, evicting the oldest lines past the limits, and passes it to every listener.
   *
   * @param resource The resource that printed it.
   * @param stream The stream it came on.
   * @param text The line, without its newline.
   * @returns The recorded entry.
   */
  add(resource: string, stream: "stdout" | "stderr", text: string): LogEntry;
  /**
   * Lists kept lines, oldest first: the last `limit` that match.
   *
   * @param filter Which lines.
   * @returns The matching lines.
   * @throws {RangeError} When `limit` is not a non-negative integer.
   */
  query(filter?: LogFilter): LogEntry[];
  /**
   * Calls `listener` with every line added from now on. A listener that
   * throws is reported to `onListenerError` and stays subscribed.
   *
   * @param listener Receives each new line.
   * @returns Stops the calls.
   */
  subscribe(listener: (entry: LogEntry) => void): () => void;
  /**
   * Measures what is kept.
   *
   * @returns The number of lines and the UTF-8 size of their `text`s.
   */
  size(): { lines: number; bytes: number };
}

/** Options of {@linkcode createLogStore}. */
export interface CreateLogStoreOptions {
  /**
   * The most lines kept.
   * @default {DEFAULT_MAX_LINES}
   */
  maxLines?: number;
  /**
   * The most UTF-8 bytes of `text` kept, summed over the lines. The newest line is always kept.
   * @default {DEFAULT_MAX_BYTES}
   */
  maxBytes?: number;
  /**
   * Told when a listener throws.
   * @default {writes the error to stderr}
   */
  onListenerError?: (error: unknown) => void;
}

/** How many lines a store keeps unless told otherwise. */
export const DEFAULT_MAX_LINES = 5_000;

/** How many bytes of text a store keeps unless told otherwise: 4 MiB. */
export const DEFAULT_MAX_BYTES = 4 * 1024 * 1024;

/** How many lines a query returns unless told otherwise. */
const DEFAULT_LIMIT = 500;

/** The longest `text` (and `message`) kept, in UTF-8 bytes. */
const LINE_LIMIT_BYTES = 8 * 1024;

const LEVEL_RANK: Readonly<Record<LogLevel, number>> = { debug: 10, info: 20, warn: 30, error: 40 };

const TRACE_ID = /^[0-9a-f]{32}$/i;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Creates an empty log store.
 *
 * @param options The limits, and where listener errors go.
 * @returns The store.
 * @throws {RangeError} When `maxLines` or `maxBytes` is not a positive integer.
 * @example
 * ```ts
 * import { createLogStore } from "./log_store.ts";
 *
 * const logs = createLogStore({ maxLines: 1_000 });
 * const stop = logs.subscribe((entry) => console.log(entry.resource, entry.message));
 * logs.add("users", "stdout", '{"level":"warn","msg":"slow query"}');
 * stop();
 * console.log(logs.query({ level: "warn" }).length); // 1
 * ```
 */
export function createLogStore(options: CreateLogStoreOptions = {}): LogStore {
  const maxLines = _positiveInteger("maxLines", options.maxLines ?? DEFAULT_MAX_LINES);
  const maxBytes = _positiveInteger("maxBytes", options.maxBytes ?? DEFAULT_MAX_BYTES);
  const onListenerError = options.onListenerError ??
    ((error: unknown) => console.error("A dashboard log listener failed:", error));
  // A ring of `maxLines` slots; `first` is the oldest kept line's slot.
  const ring: (LogEntry | undefined)[] = [];
  const sizes: number[] = [];
  let first = 0;
  let count = 0;
  let bytes = 0;
  let lastSeq = 0;
  const listeners = new Set<(entry: LogEntry) => void>();

  const at = (index: number): LogEntry => ring[(first + index) % maxLines]!;

  return {
    add(resource, stream, text) {
      const entry = _parseLine(++lastSeq, resource, stream, text);
      const entryBytes = _utf8Length(entry.text);
      if (count === maxLines) {
        bytes -= sizes[first]!;
        first = (first + 1) % maxLines;
        count--;
      }
      const slot = (first + count) % maxLines;
      ring[slot] = entry;
      sizes[slot] = entryBytes;
      count++;
      bytes += entryBytes;
      while (bytes > maxBytes && count > 1) {
        bytes -= sizes[first]!;
        ring[first] = undefined;
        first = (first + 1) % maxLines;
        count--;
      }
      if (listeners.size > 0) {
        for (const listener of [...listeners]) {
          try {
            listener(entry);
          } catch (error) {
            onListenerError(error);
          }
        }
      }
      return entry;
    },
    query(filter = {}) {
      const limit = filter.limit ?? DEFAULT_LIMIT;
      if (!Number.isInteger(limit) || limit < 0) {
        throw new RangeError(`Cannot query logs: limit "${limit}" is not a non-negative integer`);
      }
      const found: LogEntry[] = [];
      for (let index = count - 1; index >= 0 && found.length < limit; index--) {
        const entry = at(index);
        if (filter.afterSeq !== undefined && entry.seq <= filter.afterSeq) break;
        if (matchesFilter(entry, filter)) found.push(entry);
      }
      return found.reverse();
    },
    subscribe(listener) {
      // A wrapper, so that the same function subscribed twice is called twice and stopped once.
      const call = (entry: LogEntry) => listener(entry);
      listeners.add(call);
      return () => listeners.delete(call);
    },
    size: () => ({ lines: count, bytes }),
  };
}

/**
 * Tells whether a line passes a filter (every field but `limit`), for
 * following a store live with the same filter as a query.
 *
 * @param entry The line.
 * @param filter Which lines are wanted.
 * @returns Whether it is one of them.
 * @example
 * ```ts
 * import { createLogStore, matchesFilter } from "./log_store.ts";
 *
 * const logs = createLogStore();
 * logs.subscribe((entry) => {
 *   if (matchesFilter(entry, { resource: "users", level: "error" })) console.log(entry.text);
 * });
 * ```
 */
export function matchesFilter(entry: LogEntry, filter: LogFilter): boolean {
  if (filter.afterSeq !== undefined && entry.seq <= filter.afterSeq) return false;
  if (filter.resource !== undefined && entry.resource !== filter.resource) return false;
  if (filter.level !== undefined && LEVEL_RANK[entry.level] < LEVEL_RANK[filter.level]) {
    return false;
  }
  if (filter.traceId !== undefined && entry.traceId !== filter.traceId.toLowerCase()) return false;
  if (
    filter.text !== undefined &&
    !entry.text.toLowerCase().includes(filter.text.toLowerCase())
  ) {
    return false;
  }
  return true;
}

/** Reads a line: the fields of a JSON object line, else the stream's defaults. */
function _parseLine(
  seq: number,
  resource: string,
  stream: "stdout" | "stderr",
  raw: string,
): LogEntry {
  const text = _cut(raw);
  const fields = _jsonObject(raw);
  const level = typeof fields?.level === "string" ? fields.level.toLowerCase() : undefined;
  const message = typeof fields?.msg === "string"
    ? fields.msg
    : typeof fields?.message === "string"
    ? fields.message
    : undefined;
  const traceId = typeof fields?.traceId === "string" && TRACE_ID.test(fields.traceId)
    ? fields.traceId.toLowerCase()
    : null;
  return {
    seq,
    time: _time(fields?.time ?? fields?.timestamp) ?? new Date().toISOString(),
    resource,
    stream,
    level: level !== undefined && Object.hasOwn(LEVEL_RANK, level)
      ? level as LogLevel
      : stream === "stderr"
      ? "warn"
      : "info",
    message: message === undefined ? text : _cut(message),
    traceId,
    text,
  };
}

/** The fields of a line that is one JSON object, or `undefined`. */
function _jsonObject(text: string): Record<string, unknown> | undefined {
  const trimmed = text.trim();
  if (!trimmed.startsWith("{") || !trimmed.endsWith("}")) return undefined;
  try {
    const value: unknown = JSON.parse(trimmed);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? value as Record<string, unknown>
      : undefined;
  } catch {
    // Braces around something that is not JSON: a plain line.
    return undefined;
  }
}

/** A line's own time (an ISO string or epoch milliseconds) as ISO 8601, or `undefined`. */
function _time(value: unknown): string | undefined {
  if (typeof value !== "string" && typeof value !== "number") return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** `text` itself when it fits in {@linkcode LINE_LIMIT_BYTES}, else its start and a note of its size. */
function _cut(text: string): string {
  const length = _utf8Length(text);
  if (length <= LINE_LIMIT_BYTES) return text;
  const note = ` … [cut: ${length} bytes in all]`;
  const bytes = encoder.encode(text);
  let end = LINE_LIMIT_BYTES - encoder.encode(note).length;
  // Back up to the start of a character (UTF-8 continuation bytes are 10xxxxxx).
  while ((bytes[end]! & 0xc0) === 0x80) end--;
  return decoder.decode(bytes.subarray(0, end)) + note;
}

/** The length of `text` encoded as UTF-8, without encoding it. */
function _utf8Length(text: string): number {
  let length = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x80) length += 1;
    else if (code < 0x800) length += 2;
    else if (code >= 0xd800 && code < 0xdc00 && _isLowSurrogate(text.charCodeAt(index + 1))) {
      length += 4;
      index++;
    } else length += 3;
  }
  return length;
}

function _isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code < 0xe000;
}

/** `value` when it is a positive integer; else a `RangeError` naming the option. */
function _positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(
      `Cannot create the log store: ${name} "${value}" is not a positive integer`,
    );
  }
  return value;
}
