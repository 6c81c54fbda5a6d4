/**
 * The state events of the KV saga store: the watched pairs under one key
 * that every commit checks, so a watch set by any process is honoured by
 * the next commit anywhere without a read per commit; an event set in
 * the commit's own atomic operation when it moves a saga to a watched
 * pair; and reading and removing events.
 *
 * @module
 */
import {
  checkStateEventLimit,
  createTimeOrderedId,
  isWatched,
  type StateEvent,
  type WatchedState,
} from "@netscript/store";
import { commitAtomic, isKvLimitError, readMany } from "@netscript/store/kv";
import type { SagaProgress } from "../../ports/saga_store.ts";
import type { KvContext } from "./_kv_context.ts";
import type { StoredSaga } from "./_stored_saga.ts";
import { dropText, readTexts, type StoredText, writeText } from "./_stored_text.ts";

/** The watched pairs as a store last read or wrote them, with their versionstamp. */
export type WatchEntry = Deno.KvEntryMaybe<readonly WatchedState[]>;

/** A state event as kept under `event/<id>`: the fields of `StateEvent`, the time in ms. */
interface StoredStateEvent {
  readonly name: string;
  readonly subject: string;
  readonly state: string;
  readonly error: StoredText;
  readonly at: number;
}

/**
 * The most deletes in one removal operation: a KV key takes at most 2,048
 * bytes and one operation's keys at most 80 KiB, so these always fit.
 */
const MAX_DELETES = 32;

/** A commit's saga change, as {@linkcode addStateEvent} needs it. */
export interface CommittedChange {
  /** The pairs watched as of the commit's read. */
  readonly watch: WatchEntry;
  /** The saga as the commit writes it. */
  readonly saga: StoredSaga;
  /** The commit's progress. */
  readonly progress: SagaProgress;
}

/**
 * Adds the event of a commit that moves the saga to a watched pair to the
 * commit's operation, with the saga's error after the commit (none when it
 * `completed`), read from its parts when it is kept there and the commit
 * does not replace it.
 *
 * @param context The handle and keys.
 * @param op The commit's operation, checked on the saga and the watch entry.
 * @param change The watched pairs, the saga as written and the progress.
 * @returns `false` when the saga's error was replaced since it was read
 * (its parts are gone): read the saga again.
 */
export async function addStateEvent(
  context: KvContext,
  op: Deno.AtomicOperation,
  change: CommittedChange,
): Promise<boolean> {
  const { saga, progress } = change;
  if (progress.state === undefined || !isWatched(change.watch.value ?? [], saga.name, saga.state)) {
    return true;
  }
  let error: string | null = null;
  if (saga.state !== "completed") {
    const kept = progress.error === undefined
      ? await readTexts(context.kv, context.keys, saga.id, [saga.error])
      : [progress.error];
    if (kept === undefined) return false;
    error = kept[0] ?? null;
  }
  const event: StoredStateEvent = {
    name: saga.name,
    subject: saga.id,
    state: saga.state,
    error: writeText(op, context.keys, saga.id, null, error),
    at: saga.updatedAt,
  };
  op.set(context.keys.event(createTimeOrderedId(saga.updatedAt)), event);
  return true;
}

/**
 * Replaces the watched pairs, each kept once.
 *
 * @param context The handle, keys and error names.
 * @param watched The pairs.
 * @throws {RangeError} When the pairs are over KV's 64 KiB value limit.
 */
export async function writeWatch(
  context: KvContext,
  watched: readonly WatchedState[],
): Promise<void> {
  const unique = new Map(
    watched.map(({ name, state }) => [JSON.stringify([name, state]), { name, state }]),
  );
  const value = [...unique.values()];
  try {
    await commitAtomic(context.kv.atomic().set(context.keys.watched, value), context.errors);
  } catch (error) {
    if (!isKvLimitError(error)) throw error;
    throw new RangeError(
      `Cannot watch ${value.length} saga states in Deno KV: ${error.message}; watch fewer pairs`,
      { cause: error },
    );
  }
}

/**
 * Reads the oldest events, their errors from their parts when kept there.
 *
 * @param context The handle and keys.
 * @param limit At most this many.
 * @returns The events, oldest first.
 */
export async function readStateEvents(context: KvContext, limit: number): Promise<StateEvent[]> {
  const { kv, keys } = context;
  checkStateEventLimit(limit);
  const stored = await Array.fromAsync(
    kv.list<StoredStateEvent>({ prefix: keys.events }, { limit }),
  );
  const errors = await Promise.all(
    stored.map(({ value }) => readTexts(kv, keys, value.subject, [value.error])),
  );
  return stored.flatMap(({ key, value }, i) => {
    const error = errors[i];
    if (error === undefined) return [];
    return [{
      id: key.at(-1) as string,
      name: value.name,
      subject: value.subject,
      state: value.state,
      error: error[0] ?? null,
      at: new Date(value.at),
    }];
  });
}

/**
 * Removes events by id, each with its error's parts, a few dozen keys per
 * operation; ids the store does not hold are skipped.
 *
 * @param context The handle, keys and error names.
 * @param ids The events' ids.
 */
export async function removeStateEvents(
  context: KvContext,
  ids: readonly string[],
): Promise<void> {
  const { kv, keys } = context;
  const held = (await readMany<StoredStateEvent>(kv, [...new Set(ids)].map((id) => keys.event(id))))
    .filter((entry): entry is Deno.KvEntry<StoredStateEvent> => entry.value !== null);
  let op = kv.atomic();
  let deletes = 0;
  for (const { key, value } of held) {
    const count = 1 + _partsOf(value.error);
    if (deletes > 0 && deletes + count > MAX_DELETES) {
      await commitAtomic(op, context.errors);
      op = kv.atomic();
      deletes = 0;
    }
    dropText(op, keys, value.subject, value.error);
    op.delete(key);
    deletes += count;
  }
  if (deletes > 0) await commitAtomic(op, context.errors);
}

/** How many parts a kept text has. */
function _partsOf(text: StoredText): number {
  return text !== null && typeof text === "object" ? text.parts : 0;
}
