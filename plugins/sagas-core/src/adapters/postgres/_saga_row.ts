/**
 * The rows the saga store's SQL returns, and the records they are.
 *
 * @module
 */
import type {
  SagaEntry,
  SagaEntryKind,
  SagaEntryState,
  SagaEntryWrite,
  SagaRecord,
  SagaSignal,
  SagaState,
} from "../../ports/saga_store.ts";

/** A `sagas_runs` row, with `timestamptz` as `Date`. */
export interface SagaRow {
  id: string;
  name: string;
  version: number;
  input: string;
  state: SagaState;
  output: string | null;
  error: string | null;
  cancel_requested: boolean;
  parent_id: string | null;
  run_at: Date | null;
  lease_owner: string | null;
  lease_expires_at: Date | null;
  traceparent: string | null;
  created_at: Date;
  updated_at: Date;
  finished_at: Date | null;
}

/** An entry as the SQL builds it in JSON: times as milliseconds since the epoch. */
export interface EntryJson {
  seq: number;
  kind: SagaEntryKind;
  name: string;
  state: SagaEntryState;
  result: string | null;
  error: string | null;
  attempts: number;
  compensates: number | null;
  wakeAt: number | null;
  startedAt: number;
  updatedAt: number;
}

/** A signal as the SQL builds it in JSON: its time as milliseconds since the epoch. */
export interface SignalJson {
  id: string;
  name: string;
  payload: string | null;
  receivedAt: number;
}

/**
 * @param row A saga row.
 * @returns Its record.
 */
export function toSagaRecord(row: SagaRow): SagaRecord {
  return {
    id: row.id,
    name: row.name,
    version: row.version,
    input: row.input,
    state: row.state,
    output: row.output,
    error: row.error,
    cancelRequested: row.cancel_requested,
    parentId: row.parent_id,
    runAt: row.run_at,
    leaseOwner: row.lease_owner,
    leaseExpiresAt: row.lease_expires_at,
    traceparent: row.traceparent,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    finishedAt: row.finished_at,
  };
}

/**
 * @param entry An entry as the SQL built it.
 * @returns The entry.
 */
export function toSagaEntry(entry: EntryJson): SagaEntry {
  return {
    ...entry,
    wakeAt: entry.wakeAt === null ? null : new Date(entry.wakeAt),
    startedAt: new Date(entry.startedAt),
    updatedAt: new Date(entry.updatedAt),
  };
}

/**
 * @param signal A signal as the SQL built it.
 * @returns The signal.
 */
export function toSagaSignal(signal: SignalJson): SagaSignal {
  return { ...signal, receivedAt: new Date(signal.receivedAt) };
}

/**
 * The entries to write as the one JSON parameter of the commit statement,
 * with only the fields it reads.
 *
 * @param entries The entries.
 * @returns Their JSON text.
 */
export function entriesJson(entries: readonly SagaEntryWrite[]): string {
  return JSON.stringify(entries.map((entry) => ({
    seq: entry.seq,
    kind: entry.kind,
    name: entry.name,
    state: entry.state,
    result: entry.result,
    error: entry.error,
    attempts: entry.attempts,
    compensates: entry.compensates,
    wakeAt: entry.wakeAt?.toISOString() ?? null,
  })));
}
