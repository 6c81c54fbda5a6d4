import type { JobRecord } from "../ports/job_queue.ts";
import { Wakeup } from "./wakeup.ts";

/**
 * A worker's local queue: jobs claimed ahead of a free slot, leased to the
 * worker but not started, in the order they start (highest priority first,
 * then as claimed). A worker refills it once it has drained to half its
 * size ({@linkcode ClaimedAhead.lowWater}), so a refill claims many jobs in
 * one store call.
 */
export class ClaimedAhead {
  #jobs: JobRecord[] = [];
  #low = new Wakeup();

  /** Jobs held, not started. */
  get size(): number {
    return this.#jobs.length;
  }

  /** Fires when a job taken leaves the queue at or under its low-water mark. */
  get drained(): Wakeup {
    return this.#low;
  }

  /**
   * The size at or under which a queue of at most `max` jobs is refilled:
   * half of it, rounded down.
   *
   * @param max The queue's size, `claimAhead`.
   * @returns The low-water mark.
   */
  static lowWater(max: number): number {
    return Math.floor(max / 2);
  }

  /**
   * The ids of the jobs held, for the heartbeat.
   *
   * @returns Their ids.
   */
  ids(): string[] {
    return this.#jobs.map((job) => job.id);
  }

  /**
   * Adds claimed jobs. A batch comes in claim order; when it holds a job of
   * a higher priority than the last one held, the queue is sorted again by
   * priority, keeping the claim order among equals.
   *
   * @param jobs The jobs, as claimed.
   */
  add(jobs: readonly JobRecord[]): void {
    if (jobs.length === 0) return;
    const last = this.#jobs.at(-1);
    this.#jobs.push(...jobs);
    if (last !== undefined && jobs.some((job) => job.priority > last.priority)) {
      this.#jobs.sort((a, b) => b.priority - a.priority);
    }
  }

  /**
   * Takes the next job to start.
   *
   * @param max The queue's size now, for its low-water mark.
   * @returns The job, or `undefined` when none is held.
   */
  take(max: number): JobRecord | undefined {
    const job = this.#jobs.shift();
    if (max > 0 && job !== undefined && this.#jobs.length === ClaimedAhead.lowWater(max)) {
      this.#low.fire();
    }
    return job;
  }

  /**
   * Removes the jobs beyond `keep`, the last to start first.
   *
   * @param keep How many to keep.
   * @returns The jobs removed.
   */
  trim(keep: number): JobRecord[] {
    return this.#jobs.splice(keep);
  }

  /**
   * Removes jobs the worker no longer holds (another worker took them over).
   *
   * @param ids The jobs' ids.
   * @returns The jobs removed.
   */
  remove(ids: ReadonlySet<string>): JobRecord[] {
    const removed = this.#jobs.filter((job) => ids.has(job.id));
    if (removed.length > 0) this.#jobs = this.#jobs.filter((job) => !ids.has(job.id));
    return removed;
  }
}
