import {
  checkKindLimit,
  checkOnceKey,
  type ClaimOptions,
  type Enqueued,
  JOB_STATES,
  jobNumbers,
  type JobPage,
  type JobQueue,
  type JobRecord,
  type JobStats,
  type ListOptions,
  type NewJob,
  newJobRecord,
  reportedState,
  type ScheduleStore,
  type StoredJobState,
} from "../../ports/job_queue.ts";
import { storableText } from "../../ports/job_limits.ts";
import {
  MemoryStateEvents,
  type StateEvent,
  WakeSignal,
  type WatchedState,
} from "@netscript/store";

type Stored = { -readonly [K in Exclude<keyof JobRecord, "state">]: JobRecord[K] } & {
  state: StoredJobState;
  seq: number;
};

/**
 * An in-memory job queue and schedule store, for unit tests of code that
 * enqueues or runs jobs. Nothing survives the process; use the Deno KV or
 * Postgres adapter for anything real.
 *
 * @example
 * ```ts
 * import { MemoryJobQueue } from "@netscript/plugin-workers-core/memory";
 *
 * const queue = new MemoryJobQueue();
 * const { id } = await queue.enqueue({ name: "send-email", input: { to: "a@example.com" } });
 * console.log((await queue.get(id))?.state); // "queued"
 * ```
 */
export class MemoryJobQueue implements JobQueue, ScheduleStore {
  #jobs = new Map<string, Stored>();
  #ticks = new Map<string, Date>();
  #once = new Map<string, string>();
  #seq = 0;
  #stateEvents = new MemoryStateEvents();
  #work = new WakeSignal();
  #now: () => Date;

  /**
   * Creates an empty queue.
   *
   * @param options A clock, for tests that move time.
   */
  constructor(options: { now?: () => Date } = {}) {
    this.#now = options.now ?? (() => new Date());
  }

  /** {@inheritDoc JobQueue.enqueue} */
  enqueue(job: NewJob): Promise<Enqueued> {
    return this.enqueueMany([job]).then(([enqueued]) => enqueued!);
  }

  /** {@inheritDoc JobQueue.enqueueOnce} */
  enqueueOnce(key: string, job: NewJob): Promise<Enqueued> {
    try {
      checkOnceKey(key);
      jobNumbers(job);
    } catch (error) {
      return Promise.reject(error);
    }
    const recorded = this.#once.get(key);
    if (recorded !== undefined) return Promise.resolve({ id: recorded, deduplicated: true });
    const enqueued = this.#enqueue(job);
    this.#once.set(key, enqueued.id);
    return Promise.resolve(enqueued);
  }

  /** {@inheritDoc JobQueue.enqueueMany} */
  enqueueMany(jobs: readonly NewJob[]): Promise<Enqueued[]> {
    try {
      // Every job is checked before any is stored, so a bad one adds none.
      for (const job of jobs) jobNumbers(job);
    } catch (error) {
      return Promise.reject(error);
    }
    return Promise.resolve(jobs.map((job) => this.#enqueue(job)));
  }

  #enqueue(job: NewJob): Enqueued {
    if (job.uniqueKey !== undefined) {
      for (const existing of this.#jobs.values()) {
        if (existing.uniqueKey === job.uniqueKey) return { id: existing.id, deduplicated: true };
      }
    }
    const now = this.#now();
    const stored: Stored = {
      ...newJobRecord(job, crypto.randomUUID(), now),
      input: structuredClone(job.input),
      seq: this.#seq++,
    };
    this.#jobs.set(stored.id, stored);
    this.#wake();
    return { id: stored.id, deduplicated: false };
  }

  /** {@inheritDoc JobQueue.claim} */
  claim(options: ClaimOptions): Promise<JobRecord[]> {
    try {
      checkKindLimit(options);
    } catch (error) {
      return Promise.reject(error);
    }
    const now = this.#now();
    const jobs = [...this.#jobs.values()];
    const room = options.kindLimit === undefined ? options.limit : Math.min(
      options.limit,
      options.kindLimit -
        jobs.filter((job) =>
          job.name === options.names[0] && job.state === "running" && job.leaseExpiresAt! > now
        ).length,
    );
    const runnable = jobs.filter((job) =>
      options.names.includes(job.name) && (
        ((job.state === "queued" || job.state === "failed") && job.runAt <= now) ||
        (job.state === "running" && job.leaseExpiresAt! <= now)
      )
    ).sort((a, b) =>
      b.priority - a.priority || a.runAt.getTime() - b.runAt.getTime() || a.seq - b.seq
    ).slice(0, Math.max(room, 0));
    for (const job of runnable) {
      Object.assign(job, {
        state: "running",
        attempts: job.attempts + 1,
        leaseOwner: options.workerId,
        leaseExpiresAt: new Date(now.getTime() + options.leaseMs),
        updatedAt: now,
      });
    }
    return Promise.resolve(runnable.map((job) => this.#record(job, now)));
  }

  /** {@inheritDoc JobQueue.heartbeat} */
  heartbeat(workerId: string, ids: readonly string[], leaseMs: number): Promise<string[]> {
    const now = this.#now();
    const held = ids.filter((id) => this.#held(id, workerId));
    for (const id of held) {
      this.#jobs.get(id)!.leaseExpiresAt = new Date(now.getTime() + leaseMs);
    }
    return Promise.resolve(held);
  }

  /** {@inheritDoc JobQueue.complete} */
  complete(id: string, workerId: string): Promise<boolean> {
    return Promise.resolve(this.#finish(id, workerId, "completed", null));
  }

  /** {@inheritDoc JobQueue.completeMany} */
  completeMany(ids: readonly string[], workerId: string): Promise<string[]> {
    return Promise.resolve(ids.filter((id) => this.#finish(id, workerId, "completed", null)));
  }

  /** {@inheritDoc JobQueue.fail} */
  fail(id: string, workerId: string, message: string, retryAt: Date | null): Promise<boolean> {
    const error = storableText(message);
    if (retryAt === null) return Promise.resolve(this.#finish(id, workerId, "dead", error));
    if (!this.#held(id, workerId)) return Promise.resolve(false);
    const job = this.#jobs.get(id)!;
    Object.assign(job, {
      state: "failed",
      runAt: retryAt,
      lastError: error,
      leaseOwner: null,
      leaseExpiresAt: null,
      updatedAt: this.#now(),
    });
    this.#recordEvent(job, "failed", error);
    this.#wake();
    return Promise.resolve(true);
  }

  /** {@inheritDoc JobQueue.release} */
  release(id: string, workerId: string): Promise<boolean> {
    if (!this.#held(id, workerId)) return Promise.resolve(false);
    const job = this.#jobs.get(id)!;
    Object.assign(job, {
      state: job.lastError === null ? "queued" : "failed",
      attempts: job.attempts - 1,
      leaseOwner: null,
      leaseExpiresAt: null,
      updatedAt: this.#now(),
    });
    this.#wake();
    return Promise.resolve(true);
  }

  /** {@inheritDoc JobQueue.get} */
  get(id: string): Promise<JobRecord | null> {
    const job = this.#jobs.get(id);
    return Promise.resolve(job ? this.#record(job, this.#now()) : null);
  }

  /** {@inheritDoc JobQueue.list} */
  list(options: ListOptions = {}): Promise<JobPage> {
    const now = this.#now();
    const matching = [...this.#jobs.values()].map((job) => this.#record(job, now))
      .filter((job) =>
        (options.state === undefined || job.state === options.state) &&
        (options.name === undefined || job.name === options.name)
      ).reverse();
    const offset = options.offset ?? 0;
    return Promise.resolve({
      items: matching.slice(offset, offset + (options.limit ?? 50)),
      total: matching.length,
    });
  }

  /** {@inheritDoc JobQueue.cancel} */
  cancel(id: string): Promise<boolean> {
    const job = this.#jobs.get(id);
    if (!job || (job.state !== "queued" && job.state !== "failed")) return Promise.resolve(false);
    this.#settle(job, "cancelled");
    return Promise.resolve(true);
  }

  /** {@inheritDoc JobQueue.retry} */
  retry(id: string): Promise<boolean> {
    const job = this.#jobs.get(id);
    if (!job || !["failed", "dead", "cancelled"].includes(job.state)) {
      return Promise.resolve(false);
    }
    const now = this.#now();
    Object.assign(job, {
      state: "queued",
      attempts: 0,
      runAt: now,
      finishedAt: null,
      updatedAt: now,
    });
    this.#wake();
    return Promise.resolve(true);
  }

  /** {@inheritDoc JobQueue.stats} */
  stats(): Promise<JobStats> {
    const now = this.#now();
    const counts = Object.fromEntries(JOB_STATES.map((s) => [s, 0])) as Record<string, number>;
    for (const job of this.#jobs.values()) counts[reportedState(job.state, job.runAt, now)]!++;
    return Promise.resolve(counts as JobStats);
  }

  /** {@inheritDoc JobQueue.watchStates} */
  watchStates(watched: readonly WatchedState[]): Promise<void> {
    return this.#stateEvents.watchStates(watched);
  }

  /** {@inheritDoc JobQueue.readStateEvents} */
  readStateEvents(limit: number): Promise<StateEvent[]> {
    return this.#stateEvents.readStateEvents(limit);
  }

  /** {@inheritDoc JobQueue.removeStateEvents} */
  removeStateEvents(ids: readonly string[]): Promise<void> {
    return this.#stateEvents.removeStateEvents(ids);
  }

  /** {@inheritDoc JobQueue.waitForWork} */
  waitForWork(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    return this.#work.wait(timeoutMs, signal);
  }

  /** {@inheritDoc JobQueue.close} */
  close(): Promise<void> {
    this.#work.wake(false);
    return Promise.resolve();
  }

  /** {@inheritDoc ScheduleStore.fireTick} */
  fireTick(schedule: string, tick: Date, job: NewJob): Promise<Enqueued | null> {
    const last = this.#ticks.get(schedule);
    if (last !== undefined && last.getTime() >= tick.getTime()) return Promise.resolve(null);
    this.#ticks.set(schedule, tick);
    return Promise.resolve(this.#enqueue(job));
  }

  /** {@inheritDoc ScheduleStore.lastTick} */
  lastTick(schedule: string): Promise<Date | null> {
    return Promise.resolve(this.#ticks.get(schedule) ?? null);
  }

  #held(id: string, workerId: string): boolean {
    const job = this.#jobs.get(id);
    return job !== undefined && job.state === "running" && job.leaseOwner === workerId;
  }

  #finish(id: string, workerId: string, state: "completed" | "dead", error: string | null) {
    if (!this.#held(id, workerId)) return false;
    const job = this.#jobs.get(id)!;
    if (error !== null) job.lastError = error;
    this.#settle(job, state);
    return true;
  }

  #settle(job: Stored, state: "completed" | "dead" | "cancelled"): void {
    const now = this.#now();
    Object.assign(job, {
      state,
      uniqueKey: null,
      leaseOwner: null,
      leaseExpiresAt: null,
      updatedAt: now,
      finishedAt: now,
    });
    this.#recordEvent(job, state, state === "dead" ? job.lastError : null);
  }

  #recordEvent(job: Stored, state: string, error: string | null): void {
    this.#stateEvents.record({ name: job.name, subject: job.id, state, error, at: this.#now() });
  }

  #record(job: Stored, now: Date): JobRecord {
    const { seq: _, ...record } = job;
    return {
      ...record,
      input: structuredClone(job.input),
      state: reportedState(job.state, job.runAt, now),
    };
  }

  #wake(): void {
    this.#work.wake();
  }
}
