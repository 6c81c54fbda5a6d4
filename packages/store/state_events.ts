/**
 * State events: a store of jobs or sagas records, in the same atomic write
 * as the change itself, that a job or saga reached a state someone watches,
 * and keeps the record until the watcher removes it. It is how the triggers
 * plugin's event triggers learn that a job died or a saga completed without
 * losing one to a crash, and why a store that nobody watches pays nothing.
 *
 * A watcher reads the oldest events, acts on each (recording its own
 * deliveries keyed by the event's id, so acting twice is harmless), then
 * removes them. Reading does not remove: a watcher that dies between the
 * two reads the same events again.
 *
 * @module
 */

/** A `(name, state)` pair whose changes a store records as events. */
export interface WatchedState {
  /** The job's or saga's name. */
  readonly name: string;
  /** The state it reaches. */
  readonly state: string;
}

/** One job or saga reaching a watched state. */
export interface StateEvent {
  /**
   * The event's id, unique in its store; it is how a watcher removes the
   * event and deduplicates its own work.
   */
  readonly id: string;
  /** The job's or saga's name. */
  readonly name: string;
  /** The job's or saga's id. */
  readonly subject: string;
  /** The state it reached. */
  readonly state: string;
  /**
   * The error recorded with the change: a job's attempt error when it
   * `failed` or is `dead`, a saga's error when it did not complete; `null`
   * otherwise.
   */
  readonly error: string | null;
  /** When the change was written, by the store's clock. */
  readonly at: Date;
}

/**
 * The state events of one store, a part of the job queue and saga store
 * ports that every adapter implements.
 */
export interface StateEventLog {
  /**
   * Replaces the pairs the store records events for. Every change made
   * after this resolves to a pair in `watched` is recorded, in the same
   * atomic write as the change; changes to other pairs are not. Events
   * already recorded are kept, whatever the new pairs are.
   *
   * @param watched The pairs; an empty list stops recording.
   */
  watchStates(watched: readonly WatchedState[]): Promise<void>;
  /**
   * The oldest recorded events, in the order they were recorded as far as
   * the store can tell (by time across processes). Reading removes nothing.
   *
   * @param limit At most this many, a positive integer.
   * @throws {RangeError} When `limit` is not a positive integer
   * ({@linkcode checkStateEventLimit}).
   */
  readStateEvents(limit: number): Promise<StateEvent[]>;
  /**
   * Removes events by id; ids it does not hold (already removed, never
   * recorded) are ignored.
   *
   * @param ids The events' ids.
   */
  removeStateEvents(ids: readonly string[]): Promise<void>;
}

/**
 * Whether a change of `name` to `state` is watched.
 *
 * @param watched The watched pairs.
 * @param name The job's or saga's name.
 * @param state The state it reaches.
 * @returns `true` when the pair is in `watched`.
 *
 * @example
 * ```ts
 * import { isWatched } from "@netscript/store";
 *
 * console.log(isWatched([{ name: "email", state: "dead" }], "email", "dead")); // true
 * ```
 */
export function isWatched(
  watched: readonly WatchedState[],
  name: string,
  state: string,
): boolean {
  return watched.some((pair) => pair.name === name && pair.state === state);
}

/**
 * Checks the `limit` of {@linkcode StateEventLog.readStateEvents}, as every
 * adapter does before it reads.
 *
 * @param limit The limit given.
 * @throws {RangeError} When it is not a positive integer.
 *
 * @example
 * ```ts
 * import { checkStateEventLimit } from "@netscript/store";
 *
 * checkStateEventLimit(100); // fine
 * try {
 *   checkStateEventLimit(0);
 * } catch (error) {
 *   console.log(error instanceof RangeError); // true
 * }
 * ```
 */
export function checkStateEventLimit(limit: number): void {
  if (!Number.isSafeInteger(limit) || limit < 1) {
    throw new RangeError(
      `Cannot read state events: the limit must be a positive integer, got ${limit}`,
    );
  }
}
