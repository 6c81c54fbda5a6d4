/**
 * A `triggers_deliveries` row as `pg` returns it, and the record it is.
 *
 * @module
 */
import type {
  DeliveryRecord,
  DeliverySource,
  DeliveryState,
  DispatchedTarget,
} from "../../ports/delivery_store.ts";

/** A delivery row, with `jsonb` parsed and `timestamptz` as `Date`. */
export interface DeliveryRow {
  id: string;
  trigger: string;
  source: DeliverySource;
  key: string | null;
  payload: unknown;
  headers: Record<string, string>;
  state: DeliveryState;
  attempts: number;
  error: string | null;
  target: DispatchedTarget | null;
  replay_of: string | null;
  traceparent: string | null;
  run_at: Date;
  lease_owner: string | null;
  lease_expires_at: Date | null;
  received_at: Date;
  updated_at: Date;
  settled_at: Date | null;
}

/**
 * @param row A delivery row.
 * @returns Its record.
 */
export function toDeliveryRecord(row: DeliveryRow): DeliveryRecord {
  return {
    id: row.id,
    trigger: row.trigger,
    source: row.source,
    key: row.key,
    payload: row.payload,
    headers: row.headers,
    state: row.state,
    attempts: row.attempts,
    error: row.error,
    target: row.target,
    replayOf: row.replay_of,
    traceparent: row.traceparent,
    runAt: row.run_at,
    leaseOwner: row.lease_owner,
    leaseExpiresAt: row.lease_expires_at,
    receivedAt: row.received_at,
    updatedAt: row.updated_at,
    settledAt: row.settled_at,
  };
}
