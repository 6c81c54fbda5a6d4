/**
 * Counting and listing jobs from the counters and the list indexes. The
 * caller first moves due delayed entries to the ready index, so the
 * delayed counter is the number of `scheduled` jobs.
 *
 * @module
 */
import {
  JOB_STATES,
  type JobStats,
  type ListOptions,
  reportedState,
  type StoredJobState,
} from "../../ports/job_queue.ts";
import type { CountBucket, KeySpace } from "./_key_space.ts";

const STORED_STATES = JOB_STATES.filter((state): state is StoredJobState => state !== "scheduled");

/**
 * Counts jobs by reported state.
 *
 * @param kv The store.
 * @param keys The queue's keys.
 * @param name Only jobs with this name.
 * @returns The counts, read in one snapshot.
 */
export async function countJobs(kv: Deno.Kv, keys: KeySpace, name?: string): Promise<JobStats> {
  const buckets: CountBucket[] = [...STORED_STATES, "delayed"];
  const entries = await kv.getMany<Deno.KvU64[]>(buckets.map((bucket) => keys.count(bucket, name)));
  const count = (bucket: CountBucket) =>
    Number(entries[buckets.indexOf(bucket)]!.value?.value ?? 0n);
  const scheduled = Math.min(count("delayed"), count("queued"));
  return {
    queued: count("queued") - scheduled,
    scheduled,
    running: count("running"),
    completed: count("completed"),
    failed: count("failed"),
    dead: count("dead"),
    cancelled: count("cancelled"),
  };
}

/**
 * Lists the ids of the jobs matching the filters, newest first, and how
 * many match in all.
 *
 * @param kv The store.
 * @param keys The queue's keys.
 * @param options The filters and the page.
 * @param now The current time, to tell `scheduled` from `queued`.
 * @returns The page's ids and the total.
 */
export async function listJobIds(
  kv: Deno.Kv,
  keys: KeySpace,
  options: ListOptions,
  now: Date,
): Promise<{ ids: string[]; total: number }> {
  const { state, name } = options;
  const limit = options.limit ?? 50;
  const offset = options.offset ?? 0;
  const counts = await countJobs(kv, keys, name);
  const total = state === undefined
    ? Object.values(counts).reduce((sum, n) => sum + n, 0)
    : counts[state];
  if (limit <= 0) return { ids: [], total };
  if (state === "queued" || state === "scheduled") {
    return { ids: await _queuedIds(kv, keys, state, name, offset, limit, now), total };
  }
  const prefix = state !== undefined
    ? keys.byState(state, name)
    : name !== undefined
    ? keys.byName(name)
    : keys.jobs;
  const entries = await Array.fromAsync(
    kv.list({ prefix }, { reverse: true, limit: offset + limit }),
  );
  return { ids: entries.slice(offset).map(({ key }) => key.at(-1) as string), total };
}

/** Queued jobs split by `runAt`, from the index entries' values. */
async function _queuedIds(
  kv: Deno.Kv,
  keys: KeySpace,
  state: "queued" | "scheduled",
  name: string | undefined,
  offset: number,
  limit: number,
  now: Date,
): Promise<string[]> {
  const ids: string[] = [];
  let skipped = 0;
  for await (
    const { key, value } of kv.list<number>({ prefix: keys.byState("queued", name) }, {
      reverse: true,
    })
  ) {
    if (reportedState("queued", new Date(value), now) !== state) continue;
    if (skipped < offset) {
      skipped++;
      continue;
    }
    ids.push(key.at(-1) as string);
    if (ids.length === limit) break;
  }
  return ids;
}
