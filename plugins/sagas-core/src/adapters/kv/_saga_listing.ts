/**
 * Listing and counting sagas from the list indexes and the per-state
 * counters, which change in the same operations as the states.
 *
 * @module
 */
import { readMany } from "@netscript/store/kv";
import {
  type ListSagasOptions,
  SAGA_STATES,
  type SagaPage,
  type SagaStats,
} from "../../ports/saga_store.ts";
import type { KvContext } from "./_kv_context.ts";
import { readSagaRecord } from "./_saga_reads.ts";

/**
 * Lists sagas matching the filters, newest first (by `createdAt`, then
 * id), with how many match in all.
 *
 * @param context The handle and keys.
 * @param options The filters and the page.
 * @returns The page.
 */
export async function listSagas(
  context: KvContext,
  options: ListSagasOptions,
): Promise<SagaPage> {
  const { kv, keys } = context;
  const offset = options.offset ?? 0;
  const limit = options.limit ?? 50;
  const states = options.state === undefined ? SAGA_STATES : [options.state];
  const counts = await readMany<Deno.KvU64>(
    kv,
    states.map((state) => keys.count(options.name, state)),
  );
  const total = counts.reduce((sum, { value }) => sum + Number(value?.value ?? 0n), 0);
  if (limit <= 0 || offset >= total) return { items: [], total };
  const ids: string[] = [];
  const index = kv.list<null>(
    { prefix: keys.list(options.name, options.state) },
    { reverse: true, limit: offset + limit },
  );
  for await (const { key } of index) ids.push(key.at(-1) as string);
  const records = await Promise.all(ids.slice(offset).map((id) => readSagaRecord(context, id)));
  return { items: records.filter((record) => record !== null), total };
}

/**
 * Counts sagas by state.
 *
 * @param context The handle and keys.
 * @returns The counts, zeros included.
 */
export async function countSagas(context: KvContext): Promise<SagaStats> {
  const { kv, keys } = context;
  const counts = await readMany<Deno.KvU64>(
    kv,
    SAGA_STATES.map((state) => keys.count(undefined, state)),
  );
  return Object.fromEntries(
    SAGA_STATES.map((state, i) => [state, Number(counts[i]!.value?.value ?? 0n)]),
  ) as SagaStats;
}
