/**
 * Claiming sagas: per name, the unleased ones whose `runAt` has come and
 * the leased ones whose lease (and `runAt`) ran out are listed from their
 * indexes, oldest `runAt` first, then by id; each is taken in its own
 * operation checked on the saga as read, so racing claimers, in any
 * process, never both take one saga. A claimer that loses a saga moves on
 * to the next.
 *
 * @module
 */
import type { ClaimedSaga, ClaimSagasOptions } from "../../ports/saga_store.ts";
import { changeSaga } from "./_change_saga.ts";
import type { KvContext } from "./_kv_context.ts";
import { claimedSaga, isClaimable } from "./_saga_changes.ts";
import { readSagaDetail, readSignals } from "./_saga_reads.ts";

/** A saga a claim may take, as its index entry tells. */
interface ClaimCandidate {
  /** The saga's id. */
  readonly id: string;
  /** Its `runAt`, in ms. */
  readonly runAtMs: number;
}

/**
 * Claims runnable sagas of the given names for `options.owner`.
 *
 * @param context The handle, keys and error names.
 * @param options Who claims, how many, for how long, and which names.
 * @returns The sagas taken, oldest `runAt` first, with their journals and signals.
 */
export async function claimSagas(
  context: KvContext,
  options: ClaimSagasOptions,
): Promise<ClaimedSaga[]> {
  const names = [...new Set(options.names)];
  if (options.limit <= 0 || names.length === 0) return [];
  const now = Date.now();
  const won: ClaimCandidate[] = [];
  const tried = new Set<string>();
  while (won.length < options.limit) {
    const need = options.limit - won.length;
    const candidates = (await _candidates(context, names, now, need + tried.size))
      .filter(({ id }) => !tried.has(id)).slice(0, need);
    if (candidates.length === 0) break;
    for (const { id } of candidates) tried.add(id);
    const taken = await Promise.all(
      candidates.map(({ id }) =>
        changeSaga(
          context,
          id,
          (saga) =>
            isClaimable(saga, now) ? claimedSaga(saga, options.owner, now, options.leaseMs) : null,
        )
      ),
    );
    won.push(...candidates.filter((_, i) => taken[i] !== null));
  }
  return await Promise.all(
    won.sort(_claimOrder).map(async ({ id }) => {
      const [detail, signals] = await Promise.all([
        readSagaDetail(context, id),
        readSignals(context, id),
      ]);
      return { ...detail!, signals };
    }),
  );
}

/** Lists up to `limit` sagas a claim may take, best first; the claim reads each again. */
async function _candidates(
  context: KvContext,
  names: readonly string[],
  nowMs: number,
  limit: number,
): Promise<ClaimCandidate[]> {
  const { kv, keys } = context;
  const lists = await Promise.all(
    names.flatMap((name) => [keys.readyOf(name), keys.leasesOf(name)]).map((prefix) =>
      Array.fromAsync(kv.list<number>({ start: prefix, end: [...prefix, nowMs + 1] }, { limit }))
    ),
  );
  const byId = new Map<string, ClaimCandidate>();
  for (const { key, value } of lists.flat()) {
    const id = key.at(-1) as string;
    byId.set(id, { id, runAtMs: value });
  }
  return [...byId.values()].sort(_claimOrder).slice(0, limit);
}

/** Earlier `runAt` first, then by id. */
function _claimOrder(a: ClaimCandidate, b: ClaimCandidate): number {
  return a.runAtMs - b.runAtMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
