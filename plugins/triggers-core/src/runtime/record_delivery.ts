/**
 * Recording a delivery a follower read, so that one payload no store can
 * keep never holds up the ones after it.
 *
 * @module
 */
import type { DeliveryStore, NewDelivery, Recorded } from "../ports/delivery_store.ts";

/**
 * Records a delivery; one whose payload no store can keep (a NUL character
 * or a lone surrogate in a string) is recorded `rejected` without its
 * payload, with the reason, and is never dispatched.
 *
 * @param store The outbox.
 * @param delivery The delivery.
 * @param what What the payload is, for the reason, e.g. `the message`.
 * @returns What the store recorded.
 */
export async function recordDelivery(
  store: DeliveryStore,
  delivery: NewDelivery,
  what: string,
): Promise<Recorded> {
  try {
    return await store.record(delivery);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return await store.record({
      ...delivery,
      payload: null,
      state: "rejected",
      error: `${what} cannot be stored: ${error.message}`,
    });
  }
}
