/**
 * Reading sagas, journals and signals from the KV saga store, each as of
 * one commit: a read that finds a text's part gone, or the saga's record
 * changed while its journal was read, reads again.
 *
 * @module
 */
import type { SagaDetail, SagaEntry, SagaRecord, SagaSignal } from "../../ports/saga_store.ts";
import type { KvContext } from "./_kv_context.ts";
import {
  entryTexts,
  sagaTexts,
  type StoredEntry,
  type StoredSaga,
  type StoredSignal,
  toSagaEntry,
  toSagaRecord,
  toSagaSignal,
} from "./_stored_saga.ts";
import { readTexts } from "./_stored_text.ts";

/**
 * Reads a saga's record.
 *
 * @param context The handle and keys.
 * @param id The saga's id.
 * @returns The record, or `null` for an unknown id.
 */
export async function readSagaRecord(context: KvContext, id: string): Promise<SagaRecord | null> {
  const { kv, keys } = context;
  for (;;) {
    const { value } = await kv.get<StoredSaga>(keys.saga(id));
    if (value === null) return null;
    const texts = await readTexts(kv, keys, id, sagaTexts(value));
    if (texts !== undefined) return toSagaRecord(value, texts);
  }
}

/**
 * Reads a saga's record and journal as of one commit.
 *
 * @param context The handle and keys.
 * @param id The saga's id.
 * @returns The saga and its journal by `seq`, or `null` for an unknown id.
 */
export async function readSagaDetail(context: KvContext, id: string): Promise<SagaDetail | null> {
  const { kv, keys } = context;
  for (;;) {
    const record = await kv.get<StoredSaga>(keys.saga(id));
    if (record.value === null) return null;
    const stored = await Array.fromAsync(kv.list<StoredEntry>({ prefix: keys.entries(id) }));
    const texts = await readTexts(kv, keys, id, [
      ...sagaTexts(record.value),
      ...stored.flatMap(({ value }) => entryTexts(value)),
    ]);
    if (texts === undefined) continue;
    if ((await kv.get(keys.saga(id))).versionstamp !== record.versionstamp) continue;
    const entries: SagaEntry[] = stored.map(({ value }, i) =>
      toSagaEntry(value, texts.slice(3 + 2 * i, 5 + 2 * i))
    );
    return { saga: toSagaRecord(record.value, texts.slice(0, 3)), entries };
  }
}

/**
 * Reads the signals a saga has not taken yet.
 *
 * @param context The handle and keys.
 * @param id The saga's id.
 * @returns The signals, oldest first.
 */
export async function readSignals(context: KvContext, id: string): Promise<SagaSignal[]> {
  const { kv, keys } = context;
  for (;;) {
    const stored = await Array.fromAsync(kv.list<StoredSignal>({ prefix: keys.signals(id) }));
    const payloads = await readTexts(kv, keys, id, stored.map(({ value }) => value.payload));
    if (payloads === undefined) continue;
    return stored
      .map(({ value }, i) => toSagaSignal(value, payloads[i] ?? null))
      .sort((a, b) =>
        a.receivedAt.getTime() - b.receivedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
      );
  }
}
