/**
 * Sagas, journal entries and signals as the KV saga store keeps them:
 * times in ms and texts inline or in parts; and their records as the port
 * returns them.
 *
 * @module
 */
import type {
  SagaEntry,
  SagaEntryKind,
  SagaEntryState,
  SagaRecord,
  SagaSignal,
  SagaState,
} from "../../ports/saga_store.ts";
import type { StoredText } from "./_stored_text.ts";

/** A saga as kept under `saga/<id>`: the fields of `SagaRecord`, times in ms. */
export interface StoredSaga {
  readonly id: string;
  readonly name: string;
  readonly version: number;
  readonly input: StoredText;
  readonly state: SagaState;
  readonly output: StoredText;
  readonly error: StoredText;
  readonly cancelRequested: boolean;
  /** A signal arrived since the last claim (absent: none). */
  readonly signalled?: boolean | undefined;
  readonly parentId: string | null;
  readonly runAt: number | null;
  readonly leaseOwner: string | null;
  readonly leaseExpiresAt: number | null;
  readonly traceparent: string | null;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly finishedAt: number | null;
}

/** A journal entry as kept under `entry/<id>/<seq>`: the fields of `SagaEntry`, times in ms. */
export interface StoredEntry {
  readonly seq: number;
  readonly kind: SagaEntryKind;
  readonly name: string;
  readonly state: SagaEntryState;
  readonly result: StoredText;
  readonly error: StoredText;
  readonly attempts: number;
  readonly compensates: number | null;
  readonly wakeAt: number | null;
  readonly startedAt: number;
  readonly updatedAt: number;
}

/** A signal as kept under `signal/<id>/<signalId>`: the fields of `SagaSignal`, times in ms. */
export interface StoredSignal {
  readonly id: string;
  readonly name: string;
  readonly payload: StoredText;
  readonly receivedAt: number;
}

/**
 * The texts of a saga, in the order {@linkcode toSagaRecord} takes them.
 *
 * @param saga The saga as kept.
 * @returns Its input, output and error.
 */
export function sagaTexts(saga: StoredSaga): StoredText[] {
  return [saga.input, saga.output, saga.error];
}

/**
 * The port's record of a saga.
 *
 * @param saga The saga as kept.
 * @param texts Its input, output and error, read.
 * @returns The record.
 */
export function toSagaRecord(saga: StoredSaga, texts: readonly (string | null)[]): SagaRecord {
  return {
    id: saga.id,
    name: saga.name,
    version: saga.version,
    input: texts[0]!,
    state: saga.state,
    output: texts[1] ?? null,
    error: texts[2] ?? null,
    cancelRequested: saga.cancelRequested,
    parentId: saga.parentId,
    runAt: _date(saga.runAt),
    leaseOwner: saga.leaseOwner,
    leaseExpiresAt: _date(saga.leaseExpiresAt),
    traceparent: saga.traceparent,
    createdAt: new Date(saga.createdAt),
    updatedAt: new Date(saga.updatedAt),
    finishedAt: _date(saga.finishedAt),
  };
}

/**
 * The texts of an entry, in the order {@linkcode toSagaEntry} takes them.
 *
 * @param entry The entry as kept.
 * @returns Its result and error.
 */
export function entryTexts(entry: StoredEntry): StoredText[] {
  return [entry.result, entry.error];
}

/**
 * The port's journal entry.
 *
 * @param entry The entry as kept.
 * @param texts Its result and error, read.
 * @returns The entry.
 */
export function toSagaEntry(entry: StoredEntry, texts: readonly (string | null)[]): SagaEntry {
  return {
    seq: entry.seq,
    kind: entry.kind,
    name: entry.name,
    state: entry.state,
    result: texts[0] ?? null,
    error: texts[1] ?? null,
    attempts: entry.attempts,
    compensates: entry.compensates,
    wakeAt: _date(entry.wakeAt),
    startedAt: new Date(entry.startedAt),
    updatedAt: new Date(entry.updatedAt),
  };
}

/**
 * The port's signal.
 *
 * @param signal The signal as kept.
 * @param payload Its payload, read.
 * @returns The signal.
 */
export function toSagaSignal(signal: StoredSignal, payload: string | null): SagaSignal {
  return {
    id: signal.id,
    name: signal.name,
    payload,
    receivedAt: new Date(signal.receivedAt),
  };
}

function _date(ms: number | null): Date | null {
  return ms === null ? null : new Date(ms);
}
