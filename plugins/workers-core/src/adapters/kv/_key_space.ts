/**
 * Where the Deno KV job queue keeps each piece of a job, under one prefix.
 *
 * - `job/<id>` → the job without its input; `input/<id>` → the input
 *   (written once, so the record that changes on every step stays small).
 * - `ready/<name>/<-priority>/<runAtMs>/<id>`: a waiting job that may run,
 *   in claim order (KV orders numbers numerically; ids are UUIDv7, so they
 *   sort by age).
 * - `delayed/<runAtMs>/<id>` → where it goes when due: a waiting job whose
 *   `runAt` was in the future when it was written.
 * - `lease/<name>/<expiresAtMs>/<id>` → its claim order: a running job.
 * - `by-name/<name>/<id>`, `by-state/<state>/<id>` and
 *   `by-state-name/<state>/<name>/<id>` → `runAtMs`: the list indexes.
 * - `count/<bucket>` and `count/<bucket>/<name>`: `Deno.KvU64` counters.
 * - `unique/<key>` → the id of the unfinished job holding that key.
 * - `once/<key>` → the id of the job `enqueueOnce` recorded for that key,
 *   kept for good.
 * - `kind-claims/<name>`: a `Deno.KvU64` counter of the claims of that name
 *   with a `kindLimit`; each checks and bumps it, so they take turns.
 * - `tick/<schedule>` → the last claimed tick; `signal`: the wake-up counter.
 * - `watched` → the `(name, state)` pairs whose changes are recorded as
 *   state events; `event/<id>` → one state event (ids are UUIDv7, so the
 *   events list oldest first).
 *
 * @module
 */
import type { StoredJobState } from "../../ports/job_queue.ts";
import type { StoredJob } from "./_stored_job.ts";

/** What a counter counts: jobs in a stored state, or queued jobs in the delayed index. */
export type CountBucket = StoredJobState | "delayed";

/** The claim order of a waiting or running job, kept beside its index entry. */
export interface ClaimOrder {
  /** The job's name. */
  readonly name: string;
  /** Higher runs first. */
  readonly priority: number;
  /** When it may run, in ms. */
  readonly runAtMs: number;
}

/** The value of a `delayed` entry: enough to move it to `ready` without reading the job. */
export interface DelayedEntry extends ClaimOrder {
  /** `queued` or `failed`. */
  readonly state: StoredJobState;
}

/** Builds every key of one queue. */
export class KeySpace {
  readonly #prefix: Deno.KvKey;

  /**
   * Creates the key space.
   *
   * @param prefix The first parts of every key.
   */
  constructor(prefix: Deno.KvKey) {
    this.#prefix = prefix;
  }

  /** The key of the wake-up counter. */
  get signal(): Deno.KvKey {
    return [...this.#prefix, "signal"];
  }

  /** The prefix of every job record, in id (age) order. */
  get jobs(): Deno.KvKey {
    return [...this.#prefix, "job"];
  }

  /** The prefix of the delayed index, in `runAt` order. */
  get delayed(): Deno.KvKey {
    return [...this.#prefix, "delayed"];
  }

  /** The key of the watched `(name, state)` pairs. */
  get watched(): Deno.KvKey {
    return [...this.#prefix, "watched"];
  }

  /** The prefix of the state events, oldest first. */
  get events(): Deno.KvKey {
    return [...this.#prefix, "event"];
  }

  /** @param id A state event's id. @returns Its key. */
  event(id: string): Deno.KvKey {
    return [...this.#prefix, "event", id];
  }

  /** @param id A job id. @returns Its record's key. */
  job(id: string): Deno.KvKey {
    return [...this.#prefix, "job", id];
  }

  /** @param id A job id. @returns Its input's key. */
  input(id: string): Deno.KvKey {
    return [...this.#prefix, "input", id];
  }

  /** @param uniqueKey A deduplication key. @returns Its key. */
  unique(uniqueKey: string): Deno.KvKey {
    return [...this.#prefix, "unique", uniqueKey];
  }

  /** @param onceKey A once-key of `enqueueOnce`. @returns Its key. */
  once(onceKey: string): Deno.KvKey {
    return [...this.#prefix, "once", onceKey];
  }

  /** @param schedule A schedule's name. @returns The key of its last tick. */
  tick(schedule: string): Deno.KvKey {
    return [...this.#prefix, "tick", schedule];
  }

  /** @param name A job name. @returns The prefix of its ready entries. */
  readyOf(name: string): Deno.KvKey {
    return [...this.#prefix, "ready", name];
  }

  /** @param id A job id. @param order Its claim order. @returns Its ready entry's key. */
  ready(id: string, order: ClaimOrder): Deno.KvKey {
    return [...this.readyOf(order.name), 0 - order.priority, order.runAtMs, id];
  }

  /** @param job A waiting job. @returns Its delayed entry's key. */
  delayedEntry(job: StoredJob): Deno.KvKey {
    return [...this.delayed, job.runAt.getTime(), job.id];
  }

  /** @param nowMs The current time. @returns The end (exclusive) of the delayed entries due by then. */
  delayedDueEnd(nowMs: number): Deno.KvKey {
    return [...this.delayed, nowMs + 1];
  }

  /** @param name A job name. @returns The prefix of its lease entries. */
  leasesOf(name: string): Deno.KvKey {
    return [...this.#prefix, "lease", name];
  }

  /** @param job A running job. @returns Its lease entry's key. */
  lease(job: StoredJob): Deno.KvKey {
    return [...this.leasesOf(job.name), job.leaseExpiresAt!.getTime(), job.id];
  }

  /** @param name A job name. @param nowMs The current time. @returns The end (exclusive) of its expired leases. */
  leasesExpiredEnd(name: string, nowMs: number): Deno.KvKey {
    return [...this.leasesOf(name), nowMs + 1];
  }

  /** @param name A job name. @returns The key of its counter of claims with a `kindLimit`. */
  kindClaims(name: string): Deno.KvKey {
    return [...this.#prefix, "kind-claims", name];
  }

  /** @param name A job name. @returns The prefix of its jobs, in age order. */
  byName(name: string): Deno.KvKey {
    return [...this.#prefix, "by-name", name];
  }

  /** @param state A stored state. @param name A job name, or all. @returns The prefix of those jobs, in age order. */
  byState(state: StoredJobState, name?: string): Deno.KvKey {
    return name === undefined
      ? [...this.#prefix, "by-state", state]
      : [...this.#prefix, "by-state-name", state, name];
  }

  /** @param bucket What is counted. @param name A job name, or all. @returns The counter's key. */
  count(bucket: CountBucket, name?: string): Deno.KvKey {
    return name === undefined
      ? [...this.#prefix, "count", bucket]
      : [...this.#prefix, "count", bucket, name];
  }
}
