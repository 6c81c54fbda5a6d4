import type { StateEvent, WatchedState } from "@netscript/store";
import { KvChangeWaits, readMany } from "@netscript/store/kv";
import {
  checkKindLimit,
  type ClaimOptions,
  type Enqueued,
  type JobPage,
  type JobQueue,
  type JobRecord,
  type JobStats,
  type ListOptions,
  type NewJob,
  type ScheduleStore,
} from "../../ports/job_queue.ts";
import { storableText } from "../../ports/job_limits.ts";
import {
  type ClaimCandidate,
  compareClaimOrder,
  isClaimable,
  listClaimCandidates,
  promoteDueJobs,
} from "./_claim_candidates.ts";
import { enqueueForTick, enqueueJobs, enqueueOnce } from "./_enqueue_jobs.ts";
import { countJobs, listJobIds } from "./_job_listing.ts";
import { claimOrder, type PlacedJob, writeJob } from "./_job_writes.ts";
import { KeySpace } from "./_key_space.ts";
import { readKindRoom } from "./_kind_limit.ts";
import { commitEach, JobOperation, JOBS_PER_COMMIT } from "./_kv_commit.ts";
import {
  readStateEvents,
  removeStateEvents,
  WatchedStates,
  type WatchEntry,
} from "./_state_events.ts";
import {
  claimedJob,
  failedJob,
  isHeldBy,
  isWaiting,
  releasedJob,
  renewedJob,
  retriedJob,
  settledJob,
  type StoredJob,
  toJobRecord,
} from "./_stored_job.ts";

/** A claim of one job, planned from the job as read. */
interface PlannedClaim {
  /** The job's record as read, which the claim checks is unchanged. */
  readonly entry: Deno.AtomicCheck;
  /** The job as read. */
  readonly before: StoredJob;
  /** The index entry it was found by, which the claim checks too. */
  readonly index: Deno.AtomicCheck;
  /** The job, claimed. */
  readonly after: StoredJob;
  /** Its input, read with it. */
  readonly input: unknown;
}

/** A change of one job by {@linkcode KvJobQueue}'s `#update`. */
interface JobUpdate {
  /** The job as changed, or `null` to leave it as it is (and return `false`). */
  readonly change: (job: StoredJob, now: Date) => StoredJob | null;
  /** Bump the wake-up counter: the job may have become runnable. */
  readonly wakes?: boolean;
  /** A settle: record a state event when the job's name and new state are watched. */
  readonly settles?: boolean;
}

/** A change of jobs a worker holds, by {@linkcode KvJobQueue}'s `#changeHeld`. */
interface HeldJobsChange {
  /** The worker that must hold each job. */
  readonly workerId: string;
  /** The job as changed. */
  readonly change: (job: StoredJob, now: Date) => StoredJob;
  /** A settle: record a state event when a job's name and new state are watched. */
  readonly settles?: boolean;
}

/** Options of {@linkcode KvJobQueue}. */
export interface KvJobQueueOptions {
  /**
   * The first parts of every key the queue writes, so it can share a KV
   * file with other data (or other queues).
   * @default {["workers"]}
   */
  prefix?: Deno.KvKey | undefined;
  /**
   * The KV file the handle opened ({@linkcode openKvJobQueue} sets it).
   * With it, `waitForWork` watches the file's folder, so a commit by any
   * process on the file wakes it at once; this needs read permission for
   * the folder. Without it (or when the folder cannot be watched),
   * `waitForWork` sees this process's writes at once and other processes'
   * writes within `wakePollMs`.
   */
  path?: string | undefined;
  /**
   * How often `waitForWork` reads the wake-up key in any case: when the
   * queue watches its file, a backstop; otherwise how writes by other
   * processes on the same file are seen at all.
   * @default {1000 when watching the file, else 100}
   */
  wakePollMs?: number | undefined;
  /**
   * Close the handle in `close()`; {@linkcode openKvJobQueue} sets it.
   * @default {false}
   */
  ownsKv?: boolean | undefined;
}

/**
 * The job queue and schedule store on Deno KV, the embedded default: any
 * number of processes (an API, workers, a scheduler) may open the same KV
 * file. It uses only keys and atomic operations with version checks, never
 * `kv.enqueue`/`listenQueue` (which lose messages with a second listener
 * and do not exist on self-hosted KV).
 *
 * A claim reads the ready index (one per job name, in priority, `runAt`,
 * age order) and expired leases, and takes each job in an atomic operation
 * that checks the job's version, so racing claimers never share a job; the
 * loser moves on to the next. A claim with a `kindLimit` counts the name's
 * live leases and commits its jobs together with a version-checked bump of
 * the name's `kind-claims` counter, so such claims take turns. Indexes and
 * per-state counters change in the same operation as the job. Limits that
 * come from Deno KV: a job's input must serialise to at most 64 KiB (larger inputs are refused with a
 * `RangeError`), `lastError` keeps the first 8,192 characters, and
 * `enqueueMany` is atomic per chunk of 50 jobs, not as a whole.
 *
 * State events ({@linkcode KvJobQueue.watchStates}) cost a settle no read:
 * the queue caches the watched pairs' entry and each settle's atomic
 * operation checks its version, so a `watchStates` by any process on the
 * file fails the settle's commit, which then reads the pairs again with the
 * job and retries.
 *
 * @example
 * ```ts
 * import { KvJobQueue } from "@netscript/plugin-workers-core/kv";
 *
 * const kv = await Deno.openKv(":memory:");
 * const queue = new KvJobQueue(kv);
 * await queue.enqueue({ name: "send-email", input: { to: "a@example.com" } });
 * const [job] = await queue.claim({ workerId: "w1", limit: 1, leaseMs: 30_000, names: ["send-email"] });
 * await queue.complete(job!.id, "w1");
 * await queue.close();
 * kv.close();
 * ```
 */
export class KvJobQueue implements JobQueue, ScheduleStore {
  readonly #kv: Deno.Kv;
  readonly #keys: KeySpace;
  readonly #ownsKv: boolean;
  readonly #waits: KvChangeWaits;
  readonly #watched: WatchedStates;

  /**
   * Uses an open KV handle; `close()` leaves it open unless `ownsKv` is set.
   *
   * @param kv The handle.
   * @param options The key prefix, the file to watch, the wake-up polling interval and ownership.
   */
  constructor(kv: Deno.Kv, options: KvJobQueueOptions = {}) {
    this.#kv = kv;
    this.#keys = new KeySpace(options.prefix ?? ["workers"]);
    this.#ownsKv = options.ownsKv ?? false;
    this.#watched = new WatchedStates(kv, this.#keys);
    this.#waits = new KvChangeWaits(kv, this.#keys.signal, {
      path: options.path,
      pollMs: options.wakePollMs ?? (options.path === undefined ? 100 : 1000),
    });
  }

  /** {@inheritDoc JobQueue.enqueue} */
  async enqueue(job: NewJob): Promise<Enqueued> {
    const [enqueued] = await enqueueJobs(this.#kv, this.#keys, [job]);
    return enqueued!;
  }

  /** {@inheritDoc JobQueue.enqueueOnce} */
  enqueueOnce(key: string, job: NewJob): Promise<Enqueued> {
    return enqueueOnce(this.#kv, this.#keys, key, job);
  }

  /**
   * Adds several jobs, atomically per chunk of 50: if a chunk fails, the
   * chunks before it stay enqueued.
   *
   * @param jobs The jobs.
   * @returns One result per job, in order.
   */
  enqueueMany(jobs: readonly NewJob[]): Promise<Enqueued[]> {
    return enqueueJobs(this.#kv, this.#keys, jobs);
  }

  /**
   * {@inheritDoc JobQueue.claim}
   *
   * @throws {RangeError} When `kindLimit` is set and is not a positive
   * integer, or `names` does not hold exactly one name.
   */
  async claim(options: ClaimOptions): Promise<JobRecord[]> {
    checkKindLimit(options);
    const names = [...new Set(options.names)];
    if (options.limit <= 0 || names.length === 0) return [];
    const now = new Date();
    await promoteDueJobs(this.#kv, this.#keys, now.getTime());
    const claimed = options.kindLimit === undefined
      ? await this.#claimAny(names, options, now)
      : await this.#claimUnderKindLimit(names, options.kindLimit, options);
    const order = ({ after }: PlannedClaim) => ({ ...claimOrder(after), id: after.id });
    claimed.sort((a, b) => compareClaimOrder(order(a), order(b)));
    return claimed.map(({ after, input }) => toJobRecord(after, input, now));
  }

  /** Takes up to `limit` jobs of these names, each in its own version-checked change. */
  async #claimAny(
    names: readonly string[],
    options: ClaimOptions,
    now: Date,
  ): Promise<PlannedClaim[]> {
    const nowMs = now.getTime();
    const claimed: PlannedClaim[] = [];
    const tried = new Set<string>();
    while (claimed.length < options.limit) {
      const need = options.limit - claimed.length;
      const candidates = (await listClaimCandidates(
        this.#kv,
        this.#keys,
        names,
        nowMs,
        need + tried.size,
      )).filter(({ id }) => !tried.has(id)).slice(0, need);
      if (candidates.length === 0) break;
      for (const { id } of candidates) tried.add(id);
      const won = await commitEach(
        this.#kv,
        await this.#plannedClaims(candidates, options, now),
        (op, claim) => this.#writeClaim(op, claim, nowMs),
      );
      claimed.push(...won);
    }
    return claimed;
  }

  /**
   * Takes jobs of one name while it has room under its limit, up to ten per
   * atomic operation. Each operation also checks and bumps the name's
   * `kind-claims` counter, read before the room was counted; when another
   * claim changed it (or one of the jobs) first, the room is counted again.
   */
  async #claimUnderKindLimit(
    names: readonly string[],
    kindLimit: number,
    options: ClaimOptions,
  ): Promise<PlannedClaim[]> {
    const name = names[0]!;
    const claimed: PlannedClaim[] = [];
    const unclaimable = new Set<string>();
    while (claimed.length < options.limit) {
      const now = new Date();
      const { room, claims } = await readKindRoom(
        this.#kv,
        this.#keys,
        name,
        kindLimit,
        now.getTime(),
      );
      const need = Math.min(options.limit - claimed.length, room, JOBS_PER_COMMIT);
      if (need <= 0) break;
      const candidates = (await listClaimCandidates(
        this.#kv,
        this.#keys,
        names,
        now.getTime(),
        need + unclaimable.size,
      )).filter(({ id }) => !unclaimable.has(id)).slice(0, need);
      if (candidates.length === 0) break;
      const planned = await this.#plannedClaims(candidates, options, now);
      for (const { id } of candidates) {
        if (!planned.some(({ after }) => after.id === id)) unclaimable.add(id);
      }
      if (planned.length === 0) continue;
      const op = new JobOperation(this.#kv).check(claims).count(claims.key, 1);
      for (const claim of planned) this.#writeClaim(op, claim, now.getTime());
      if ((await op.commit()).ok) claimed.push(...planned);
    }
    return claimed;
  }

  /**
   * Reads the candidates' jobs, with their inputs, and plans the claim of
   * each one still claimable.
   */
  async #plannedClaims(
    candidates: readonly ClaimCandidate[],
    options: ClaimOptions,
    now: Date,
  ): Promise<PlannedClaim[]> {
    const ids = candidates.map(({ id }) => id);
    const entries = await readMany(
      this.#kv,
      [...ids.map((id) => this.#keys.job(id)), ...ids.map((id) => this.#keys.input(id))],
    );
    return candidates.flatMap((candidate, i) => {
      const entry = entries[i] as Deno.KvEntryMaybe<StoredJob>;
      return entry.value !== null && isClaimable(candidate, entry.value, now.getTime())
        ? [{
          entry,
          before: entry.value,
          index: candidate.entry,
          after: claimedJob(entry.value, options.workerId, now, options.leaseMs),
          input: entries[ids.length + i]!.value,
        }]
        : [];
    });
  }

  /** Adds a planned claim's checks and writes to `op`. */
  #writeClaim(op: JobOperation, claim: PlannedClaim, nowMs: number): void {
    op.check(claim.entry, claim.index);
    writeJob(op, this.#keys, { job: claim.before, delayed: false }, claim.after, nowMs);
  }

  /** {@inheritDoc JobQueue.heartbeat} */
  async heartbeat(workerId: string, ids: readonly string[], leaseMs: number): Promise<string[]> {
    const held = await this.#changeHeld(ids, {
      workerId,
      change: (job, now) => renewedJob(job, now, leaseMs),
    });
    return ids.filter((id) => held.has(id));
  }

  /** {@inheritDoc JobQueue.complete} */
  complete(id: string, workerId: string): Promise<boolean> {
    return this.#update(id, {
      change: (job, now) => isHeldBy(job, workerId) ? settledJob(job, "completed", now) : null,
      settles: true,
    });
  }

  /**
   * {@inheritDoc JobQueue.completeMany}
   *
   * The jobs are read together and completed ten per atomic operation.
   */
  async completeMany(ids: readonly string[], workerId: string): Promise<string[]> {
    const done = await this.#changeHeld(ids, {
      workerId,
      change: (job, now) => settledJob(job, "completed", now),
      settles: true,
    });
    return ids.filter((id) => done.has(id));
  }

  /**
   * Applies one change to each of these jobs that the worker holds, reading
   * them together and committing ten per operation; a job another process
   * changed in between (or every job, when the watched pairs of a settle
   * changed) is read again and, if still held, changed then.
   *
   * @returns The ids of the jobs changed.
   */
  async #changeHeld(ids: readonly string[], held: HeldJobsChange): Promise<Set<string>> {
    const { workerId, change, settles = false } = held;
    const changed = new Set<string>();
    let pending = [...new Set(ids)];
    while (pending.length > 0) {
      const now = new Date();
      const keys = pending.map((id) => this.#keys.job(id));
      const { entries: read, watch } = settles
        ? await this.#watched.readWith<StoredJob>(keys)
        : { entries: await readMany<StoredJob>(this.#kv, keys), watch: null };
      const entries = read.filter((entry): entry is Deno.KvEntry<StoredJob> =>
        entry.value !== null && isHeldBy(entry.value, workerId)
      );
      const won = await commitEach(this.#kv, entries, (op, entry) => {
        op.check(entry);
        const after = change(entry.value, now);
        writeJob(op, this.#keys, { job: entry.value, delayed: false }, after, now.getTime());
        if (watch !== null) this.#watched.record(op, watch, after, now);
      }, { checks: watch === null ? [] : [watch] });
      if (watch !== null && won.length < entries.length) this.#watched.forget(watch);
      for (const entry of won) changed.add(entry.value.id);
      pending = entries.filter((entry) => !won.includes(entry)).map((entry) => entry.value.id);
    }
    return changed;
  }

  /** {@inheritDoc JobQueue.fail} */
  fail(id: string, workerId: string, message: string, retryAt: Date | null): Promise<boolean> {
    const error = storableText(message);
    return this.#update(id, {
      change: (job, now) => {
        if (!isHeldBy(job, workerId)) return null;
        return retryAt === null
          ? settledJob(job, "dead", now, error)
          : failedJob(job, error, retryAt, now);
      },
      wakes: retryAt !== null,
      settles: true,
    });
  }

  /** {@inheritDoc JobQueue.release} */
  release(id: string, workerId: string): Promise<boolean> {
    return this.#update(id, {
      change: (job, now) => isHeldBy(job, workerId) ? releasedJob(job, now) : null,
      wakes: true,
    });
  }

  /** {@inheritDoc JobQueue.get} */
  async get(id: string): Promise<JobRecord | null> {
    const [job] = await this.#records([id], new Date());
    return job ?? null;
  }

  /** {@inheritDoc JobQueue.list} */
  async list(options: ListOptions = {}): Promise<JobPage> {
    const now = new Date();
    await promoteDueJobs(this.#kv, this.#keys, now.getTime());
    const { ids, total } = await listJobIds(this.#kv, this.#keys, options, now);
    return { items: await this.#records(ids, now), total };
  }

  /** {@inheritDoc JobQueue.cancel} */
  cancel(id: string): Promise<boolean> {
    return this.#update(id, {
      change: (job, now) => isWaiting(job.state) ? settledJob(job, "cancelled", now) : null,
      settles: true,
    });
  }

  /** {@inheritDoc JobQueue.retry} */
  retry(id: string): Promise<boolean> {
    return this.#update(id, {
      change: (job, now) =>
        job.state === "failed" || job.state === "dead" || job.state === "cancelled"
          ? retriedJob(job, now)
          : null,
      wakes: true,
    });
  }

  /**
   * Counts by state. Due scheduled jobs are first moved to the ready index
   * (what a claim does too), so every count comes from counters kept in the
   * same atomic operations as the states.
   *
   * @returns The counts.
   */
  async stats(): Promise<JobStats> {
    await promoteDueJobs(this.#kv, this.#keys, Date.now());
    return countJobs(this.#kv, this.#keys);
  }

  /** {@inheritDoc JobQueue.watchStates} */
  watchStates(watched: readonly WatchedState[]): Promise<void> {
    return this.#watched.replace(watched);
  }

  /**
   * {@inheritDoc JobQueue.readStateEvents}
   *
   * @throws {RangeError} When `limit` is not a positive integer.
   */
  readStateEvents(limit: number): Promise<StateEvent[]> {
    return readStateEvents(this.#kv, this.#keys, limit);
  }

  /** {@inheritDoc JobQueue.removeStateEvents} */
  removeStateEvents(ids: readonly string[]): Promise<void> {
    return removeStateEvents(this.#kv, this.#keys, ids);
  }

  /**
   * Resolves when a job may have become runnable (an enqueue, a retry, a
   * release, a failure with a retry) since the last wait returned, or after
   * `timeoutMs`. With `path`, a write by any process wakes it at once;
   * without, writes from this process do, and writes from other processes
   * within `wakePollMs`.
   *
   * @param timeoutMs The longest wait.
   * @param signal Ends the wait early.
   */
  waitForWork(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    return this.#waits.wait(timeoutMs, signal);
  }

  /** Ends pending waits, stops watching the file, then closes the KV handle if the queue owns it. */
  async close(): Promise<void> {
    await this.#waits.close();
    if (this.#ownsKv) this.#kv.close();
  }

  /** {@inheritDoc ScheduleStore.fireTick} */
  fireTick(schedule: string, tick: Date, job: NewJob): Promise<Enqueued | null> {
    return enqueueForTick(this.#kv, this.#keys, this.#keys.tick(schedule), tick, job);
  }

  /** {@inheritDoc ScheduleStore.lastTick} */
  async lastTick(schedule: string): Promise<Date | null> {
    return (await this.#kv.get<Date>(this.#keys.tick(schedule))).value;
  }

  /**
   * Applies one change to one job, re-reading and trying again when another
   * process changed the job (or moved its delayed entry, or, for a settle,
   * the watched pairs) in between.
   */
  async #update(id: string, update: JobUpdate): Promise<boolean> {
    const { change, wakes = false, settles = false } = update;
    for (;;) {
      const { entry, watch } = await this.#readForUpdate(id, settles);
      if (entry.value === null) return false;
      const now = new Date();
      const after = change(entry.value, now);
      if (after === null) return false;
      const op = new JobOperation(this.#kv).check(entry);
      let before: PlacedJob = { job: entry.value, delayed: false };
      if (isWaiting(entry.value.state)) {
        const delayed = await this.#kv.get(this.#keys.delayedEntry(entry.value));
        op.check(delayed);
        before = { job: entry.value, delayed: delayed.versionstamp !== null };
      }
      writeJob(op, this.#keys, before, after, now.getTime());
      if (watch !== null) {
        op.check(watch);
        this.#watched.record(op, watch, after, now);
      }
      if (wakes) op.count(this.#keys.signal, 1);
      if ((await op.commit()).ok) return true;
      if (watch !== null) this.#watched.forget(watch);
    }
  }

  /** Reads a job to change, with the watch entry a settle checks (`null` for other changes). */
  async #readForUpdate(
    id: string,
    settles: boolean,
  ): Promise<{ entry: Deno.KvEntryMaybe<StoredJob>; watch: WatchEntry | null }> {
    const key = this.#keys.job(id);
    if (!settles) return { entry: await this.#kv.get<StoredJob>(key), watch: null };
    const { entries: [entry], watch } = await this.#watched.readWith<StoredJob>([key]);
    return { entry: entry!, watch };
  }

  /** The records of the jobs with these ids that exist, each read with its input. */
  async #records(ids: readonly string[], now: Date): Promise<JobRecord[]> {
    const entries = await readMany(
      this.#kv,
      ids.flatMap((id) => [this.#keys.job(id), this.#keys.input(id)]),
    );
    return ids.flatMap((_, i) => {
      const job = entries[2 * i]!.value as StoredJob | null;
      return job === null ? [] : [toJobRecord(job, entries[2 * i + 1]!.value, now)];
    });
  }
}
