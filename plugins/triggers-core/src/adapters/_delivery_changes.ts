/**
 * How a delivery changes as it is recorded, claimed and settled, for the
 * stores that keep records as values (memory, Deno KV). The payload and
 * headers are kept apart, as JSON text, since they never change.
 *
 * @module
 */
import type { DeliveryOutcome, DeliveryRecord } from "../ports/delivery_store.ts";
import { type StorableDelivery, storableText } from "./_storable_delivery.ts";

/** A delivery without its payload and headers. */
export type StoredDelivery = Omit<DeliveryRecord, "payload" | "headers">;

/**
 * A delivery just recorded.
 *
 * @param id Its id.
 * @param delivery The checked delivery.
 * @param now The current time.
 * @returns Its record.
 */
export function recordedDelivery(
  id: string,
  delivery: StorableDelivery,
  now: Date,
): StoredDelivery {
  return {
    id,
    trigger: delivery.trigger,
    source: delivery.source,
    key: delivery.key,
    state: delivery.state,
    attempts: 0,
    error: delivery.error,
    target: null,
    replayOf: delivery.replayOf,
    traceparent: delivery.traceparent,
    runAt: delivery.runAt ?? now,
    leaseOwner: null,
    leaseExpiresAt: null,
    receivedAt: now,
    updatedAt: now,
    settledAt: delivery.state === "rejected" ? now : null,
  };
}

/**
 * When a delivery can next be claimed: its `runAt` when nobody holds it,
 * its lease's end when somebody does; `null` once settled.
 *
 * @param delivery The delivery.
 * @returns The time in ms, or `null`.
 */
export function claimableAt(delivery: StoredDelivery): number | null {
  if (delivery.state !== "pending") return null;
  return (delivery.leaseExpiresAt ?? delivery.runAt).getTime();
}

/**
 * @param delivery The delivery.
 * @param owner Who claims.
 * @param now The current time.
 * @param leaseMs How long the lease lasts.
 * @returns It, claimed: the attempt counted and leased to `owner`.
 */
export function claimedDelivery(
  delivery: StoredDelivery,
  owner: string,
  now: Date,
  leaseMs: number,
): StoredDelivery {
  return {
    ...delivery,
    attempts: delivery.attempts + 1,
    leaseOwner: owner,
    leaseExpiresAt: new Date(now.getTime() + leaseMs),
    updatedAt: now,
  };
}

/**
 * @param delivery The delivery.
 * @param owner Who settles.
 * @returns Whether `owner` holds its dispatch.
 */
export function isHeldBy(delivery: StoredDelivery, owner: string): boolean {
  return delivery.state === "pending" && delivery.leaseOwner === owner;
}

/**
 * @param delivery A claimed delivery.
 * @param outcome How its attempt ended.
 * @param now The current time.
 * @returns It, settled (or waiting for its retry), its lease released.
 */
export function settledDelivery(
  delivery: StoredDelivery,
  outcome: DeliveryOutcome,
  now: Date,
): StoredDelivery {
  const released = { ...delivery, leaseOwner: null, leaseExpiresAt: null, updatedAt: now };
  switch (outcome.state) {
    case "dispatched":
      return {
        ...released,
        state: "dispatched",
        error: null,
        target: {
          kind: outcome.target.kind,
          name: storableText(outcome.target.name),
          id: storableText(outcome.target.id),
        },
        settledAt: now,
      };
    case "skipped":
      return { ...released, state: "skipped", error: null, settledAt: now };
    case "failed":
      return { ...released, state: "failed", error: storableText(outcome.error), settledAt: now };
    case "pending":
      return { ...released, error: storableText(outcome.error), runAt: outcome.retryAt };
  }
}
