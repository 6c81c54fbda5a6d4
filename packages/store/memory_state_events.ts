/**
 * State events kept in this process's memory, for the memory job queue and
 * the memory saga store: the same behaviour as the durable stores, with
 * nothing surviving the process.
 *
 * @module
 */
import { createTimeOrderedId } from "./time_ordered_id.ts";
import {
  checkStateEventLimit,
  isWatched,
  type StateEvent,
  type StateEventLog,
  type WatchedState,
} from "./state_events.ts";

/**
 * The state events of a memory store. The store calls
 * {@linkcode MemoryStateEvents.record} in the same call that changes a job
 * or saga, which is atomic in one process.
 *
 * @example
 * ```ts
 * import { MemoryStateEvents } from "@netscript/store";
 *
 * const events = new MemoryStateEvents();
 * await events.watchStates([{ name: "email", state: "dead" }]);
 * events.record({ name: "email", subject: "job-1", state: "dead", error: "bounced", at: new Date() });
 * events.record({ name: "email", subject: "job-2", state: "completed", error: null, at: new Date() });
 * console.log((await events.readStateEvents(10)).map((event) => event.subject)); // ["job-1"]
 * ```
 */
export class MemoryStateEvents implements StateEventLog {
  #watched: readonly WatchedState[] = [];
  #events: StateEvent[] = [];

  /** {@inheritDoc StateEventLog.watchStates} */
  watchStates(watched: readonly WatchedState[]): Promise<void> {
    this.#watched = watched.map(({ name, state }) => ({ name, state }));
    return Promise.resolve();
  }

  /** {@inheritDoc StateEventLog.readStateEvents} */
  readStateEvents(limit: number): Promise<StateEvent[]> {
    try {
      checkStateEventLimit(limit);
    } catch (error) {
      return Promise.reject(error);
    }
    return Promise.resolve(this.#events.slice(0, limit).map((event) => ({ ...event })));
  }

  /** {@inheritDoc StateEventLog.removeStateEvents} */
  removeStateEvents(ids: readonly string[]): Promise<void> {
    const removed = new Set(ids);
    this.#events = this.#events.filter((event) => !removed.has(event.id));
    return Promise.resolve();
  }

  /**
   * Records a change as an event when its `(name, state)` is watched.
   *
   * @param change The change: the job's or saga's name and id (`subject`),
   * the state it reached, its error and when.
   */
  record(change: Omit<StateEvent, "id">): void {
    if (!isWatched(this.#watched, change.name, change.state)) return;
    this.#events.push({ ...change, id: createTimeOrderedId(change.at.getTime()) });
  }
}
