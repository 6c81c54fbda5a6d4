/**
 * How the sagas benchmark talks to a measuring child. The child writes one
 * JSON message a line to stderr behind {@linkcode MESSAGE_PREFIX}, so its
 * libraries' own stderr lines pass through untouched; the benchmark
 * answers {@linkcode GO} on the child's stdin once it has read the
 * database's counters. A child's stdout is discarded.
 *
 * @module
 */

/** Marks a stderr line as a message to the benchmark. */
export const MESSAGE_PREFIX = "@@sagas-bench@@ ";

/** What the benchmark writes to a warmed-up child's stdin to start the measured run. */
export const GO = "go";

/** Calls to a saga store by method: how many, and the milliseconds until they settled, summed. */
export type StoreCalls = Record<string, { count: number; ms: number }>;

/** What the child measured, between the first saga's start and the last one's end. */
export interface ChildRun {
  /** Seconds from the first start to the last end. */
  seconds: number;
  /** Statements sent to PostgreSQL, or `null` for a store that is not a database. */
  queries: number | null;
  /** Saga store calls by method, or empty when the system does not count them. */
  storeCalls: StoreCalls;
  /** CPU seconds (user + system) the child used. */
  cpuSeconds: number;
}

/** A message from a child. */
export type ChildMessage =
  /** The warm-up ran and the system closed every connection: read the counters, then send `go`. */
  | { kind: "warmed" }
  /** The measured run ended and the system closed every connection. */
  | { kind: "result"; run: ChildRun }
  /** The child failed. */
  | { kind: "failed"; error: string };

/** The command line a child reads. */
export interface ChildArgs {
  /** The system module's variant. */
  variant: string;
  /** The database URL or KV file path. */
  location: string;
  /** Steps per saga. */
  steps: number;
  /** Sagas at once. */
  concurrency: number;
  /** Sagas in the measured run. */
  sagas: number;
  /** Sagas in the warm-up. */
  warmup: number;
}
