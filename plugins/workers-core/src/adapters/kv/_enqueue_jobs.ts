/**
 * Enqueueing in chunks Deno KV accepts: each chunk of up to 50 jobs is one
 * atomic operation that checks every `uniqueKey` it relies on (free for a
 * new job, still held for a deduplicated one) and bumps the wake-up
 * counter. A chunk KV refuses as too large is split in halves. A job
 * enqueued once per key is written with its `once` entry in one atomic
 * operation that checks the key is still free.
 *
 * @module
 */
import { createTimeOrderedId } from "@netscript/store";
import { isKvLimitError, readMany } from "@netscript/store/kv";
import { NetScriptError } from "@netscript/contracts/errors";
import { checkOnceKey, type Enqueued, jobNumbers, type NewJob } from "../../ports/job_queue.ts";
import type { WorkersCoreErrorCode } from "../../workers_error_codes.ts";
import { writeJob } from "./_job_writes.ts";
import type { KeySpace } from "./_key_space.ts";
import { JobOperation } from "./_kv_commit.ts";
import { newJob } from "./_stored_job.ts";

/** Jobs per atomic operation: at most 50 `uniqueKey` checks and about 550 mutations. */
const JOBS_PER_CHUNK = 50;

/**
 * Adds jobs, or finds the unfinished job holding each one's `uniqueKey`
 * (an earlier job of the same call included).
 *
 * @param kv The store.
 * @param keys The queue's keys.
 * @param jobs What to enqueue.
 * @returns One result per job, in order.
 * @throws {NetScriptError} `WORKERS_INPUT_TOO_LARGE` when KV refuses a
 * single job as too large.
 */
export async function enqueueJobs(
  kv: Deno.Kv,
  keys: KeySpace,
  jobs: readonly NewJob[],
): Promise<Enqueued[]> {
  const results: Enqueued[] = [];
  for (let i = 0; i < jobs.length; i += JOBS_PER_CHUNK) {
    results.push(...await _enqueueChunk(kv, keys, jobs.slice(i, i + JOBS_PER_CHUNK)));
  }
  return results;
}

async function _enqueueChunk(
  kv: Deno.Kv,
  keys: KeySpace,
  jobs: readonly NewJob[],
): Promise<Enqueued[]> {
  try {
    return await _enqueueAtomically(kv, keys, jobs);
  } catch (error) {
    if (!isKvLimitError(error)) throw error;
    if (jobs.length === 1) throw _tooLarge(jobs[0]!, error);
    const half = Math.ceil(jobs.length / 2);
    return [
      ...await _enqueueChunk(kv, keys, jobs.slice(0, half)),
      ...await _enqueueChunk(kv, keys, jobs.slice(half)),
    ];
  }
}

function _tooLarge(job: NewJob, error: Error): NetScriptError<WorkersCoreErrorCode> {
  return new NetScriptError<WorkersCoreErrorCode>(
    "WORKERS_INPUT_TOO_LARGE",
    `Cannot enqueue job "${job.name}": Deno KV refused it (${error.message}); keep its input under 64 KiB and its uniqueKey under 2 KiB, and pass larger data by reference`,
    { cause: error, details: { job: job.name } },
  );
}

async function _enqueueAtomically(
  kv: Deno.Kv,
  keys: KeySpace,
  jobs: readonly NewJob[],
): Promise<Enqueued[]> {
  const uniqueKeys = [...new Set(jobs.flatMap((job) => job.uniqueKey ?? []))];
  for (;;) {
    const holders = await readMany<string>(kv, uniqueKeys.map((key) => keys.unique(key)));
    const holderOf = new Map(uniqueKeys.map((key, i) => [key, holders[i]!.value]));
    const op = new JobOperation(kv);
    for (const holder of holders) op.check(holder);
    const now = new Date();
    const results: Enqueued[] = [];
    for (const job of jobs) {
      const holder = job.uniqueKey === undefined ? null : holderOf.get(job.uniqueKey)!;
      if (holder !== null) {
        results.push({ id: holder, deduplicated: true });
        continue;
      }
      const stored = newJob(job, createTimeOrderedId(now.getTime()), now);
      op.set(keys.input(stored.id), job.input);
      writeJob(op, keys, null, stored, now.getTime());
      if (job.uniqueKey !== undefined) holderOf.set(job.uniqueKey, stored.id);
      results.push({ id: stored.id, deduplicated: false });
    }
    if (results.every(({ deduplicated }) => deduplicated)) return results;
    op.count(keys.signal, 1);
    if ((await op.commit()).ok) return results;
  }
}

/**
 * Adds a job and records its once-key in one atomic operation that checks
 * the once-key is still unrecorded (and the `uniqueKey` it relies on
 * unchanged) and bumps the wake-up counter, as an enqueue does; or, when
 * the key is recorded, answers with its job and writes nothing. A job whose
 * `uniqueKey` an unfinished job holds is not added: the key is recorded
 * against that job.
 *
 * @param kv The store.
 * @param keys The queue's keys.
 * @param onceKey The once-key.
 * @param job What to enqueue.
 * @returns The job, `deduplicated` unless this call added it.
 * @throws {RangeError} When the key or the job is not valid; nothing is written then.
 * @throws {NetScriptError} `WORKERS_INPUT_TOO_LARGE` when KV refuses the job as too large.
 */
export async function enqueueOnce(
  kv: Deno.Kv,
  keys: KeySpace,
  onceKey: string,
  job: NewJob,
): Promise<Enqueued> {
  checkOnceKey(onceKey);
  jobNumbers(job);
  for (;;) {
    const [recorded, holder] = await readMany<string>(kv, [
      keys.once(onceKey),
      ...(job.uniqueKey === undefined ? [] : [keys.unique(job.uniqueKey)]),
    ]);
    if (recorded!.value !== null) return { id: recorded!.value, deduplicated: true };
    const op = new JobOperation(kv).check(recorded!);
    if (holder !== undefined) op.check(holder);
    if (holder?.value) {
      op.set(keys.once(onceKey), holder.value);
      if ((await op.commit()).ok) return { id: holder.value, deduplicated: true };
      continue;
    }
    const now = new Date();
    const stored = newJob(job, createTimeOrderedId(now.getTime()), now);
    op.set(keys.input(stored.id), job.input);
    writeJob(op, keys, null, stored, now.getTime());
    op.set(keys.once(onceKey), stored.id);
    op.count(keys.signal, 1);
    try {
      if ((await op.commit()).ok) return { id: stored.id, deduplicated: false };
    } catch (error) {
      throw isKvLimitError(error) ? _tooLarge(job, error) : error;
    }
  }
}

/**
 * Records a schedule's tick and enqueues its job in one atomic operation,
 * unless this tick or a later one was already recorded.
 *
 * @param kv The store.
 * @param keys The queue's keys.
 * @param tickKey Where the schedule's last tick is kept.
 * @param tick The tick.
 * @param job The tick's job.
 * @returns The job, or `null` when the tick already fired.
 */
export async function enqueueForTick(
  kv: Deno.Kv,
  keys: KeySpace,
  tickKey: Deno.KvKey,
  tick: Date,
  job: NewJob,
): Promise<Enqueued | null> {
  for (;;) {
    const last = await kv.get<Date>(tickKey);
    if (last.value !== null && last.value.getTime() >= tick.getTime()) return null;
    const holder = job.uniqueKey === undefined
      ? null
      : await kv.get<string>(keys.unique(job.uniqueKey));
    const op = new JobOperation(kv).check(last).set(tickKey, tick);
    if (holder !== null) op.check(holder);
    if (holder?.value) {
      if ((await op.commit()).ok) return { id: holder.value, deduplicated: true };
      continue;
    }
    const now = new Date();
    const stored = newJob(job, createTimeOrderedId(now.getTime()), now);
    op.set(keys.input(stored.id), job.input);
    writeJob(op, keys, null, stored, now.getTime());
    op.count(keys.signal, 1);
    if ((await op.commit()).ok) return { id: stored.id, deduplicated: false };
  }
}
