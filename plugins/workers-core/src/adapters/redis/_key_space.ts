/**
 * The queue's keys. Every key starts with the queue's prefix and a colon;
 * the Lua scripts build the same names (see `_lua_prelude.ts`):
 *
 * | Key | Type | Holds |
 * | --- | --- | --- |
 * | `job:<id>` | hash | the job's fields, its input as JSON |
 * | `seq` | string | the insertion counter, the last tie-breaker of a claim |
 * | `unique` | hash | `uniqueKey` → id of the unfinished job holding it |
 * | `once` | hash | once-key of `enqueueOnce` → id of the job recorded for it, kept for good |
 * | `ready:<name>` | sorted set | waiting jobs that are due, scored by −priority, members `<runAt>:<seq>:<id>` |
 * | `scheduled` | sorted set | queued jobs whose `runAt` was ahead when written, scored by `runAt` |
 * | `retrying` | sorted set | failed jobs waiting for their retry, scored by `runAt` |
 * | `leases:<name>` | sorted set | running jobs, scored by lease expiry; a claim with a `kindLimit` counts the unexpired ones |
 * | `all`, `name:<name>` | sorted sets | every job and the jobs of one name, scored by `seq` |
 * | `state:<state>`, `state:<state>:<name>` | sorted sets | jobs by stored state (and name), scored by `seq` |
 * | `ticks` | hash | schedule → the last tick fired, in ms |
 * | `watched` | set | the watched `(name, state)` pairs, members `<name>` NUL `<state>` |
 * | `events` | stream | state events, oldest first: fields `name`, `subject`, `state`, `at` (ms) and, when not null, `error` |
 * | `wake` | pub/sub channel | published to when a job may have become runnable |
 *
 * A watched member holds one NUL, as job names and states hold none, so a
 * job's name and state match only the pair they were written from; a pair
 * whose name or state holds a NUL is kept but matches no job. An event's
 * id is its stream entry's id (`<ms>-<seq>`), which Redis makes in
 * increasing order.
 *
 * @module
 */

/** The prefix used when none is given. */
export const DEFAULT_KEY_PREFIX = "workers";

/** The keys the TypeScript side reaches directly; the rest only the scripts touch. */
export interface KeySpace {
  /** The prefix, passed to every script. */
  readonly prefix: string;
  /** The hash of last ticks. */
  readonly ticks: string;
  /** The channel scripts publish wake-ups on. */
  readonly wake: string;
  /** The stream of state events. */
  readonly events: string;
}

/**
 * Names the keys of a queue.
 *
 * @param prefix The queue's prefix.
 * @returns Its keys.
 * @throws {TypeError} When the prefix is empty.
 */
export function keySpace(prefix: string): KeySpace {
  if (prefix === "") throw new TypeError("The keyPrefix of a Redis job queue must not be empty");
  return {
    prefix,
    ticks: `${prefix}:ticks`,
    wake: `${prefix}:wake`,
    events: `${prefix}:events`,
  };
}
