/**
 * The conformance suite of the delivery store port.
 *
 * @module
 */
import type { DeliveryStore } from "../ports/delivery_store.ts";
import { claimSteps } from "./_claim_steps.ts";
import type { Step } from "./_fixtures.ts";
import { querySteps } from "./_query_steps.ts";
import { recordSteps } from "./_record_steps.ts";
import { waitSteps } from "./_wait_steps.ts";

/** Options of {@linkcode deliveryStoreConformance}. */
export interface DeliveryStoreConformanceOptions {
  /**
   * Opens a second store on the same data as `store`, as another process
   * would (a second pool, a second handle on the same KV file). The suite
   * closes it. Steps about racing records and about waiters woken by
   * another store use it.
   * @default {`store` itself: the adapter cannot share its data}
   */
  peer?: ((store: DeliveryStore) => Promise<DeliveryStore>) | undefined;
}

/**
 * The behaviour every delivery store adapter must have, as test steps: run
 * it from an adapter's test with a factory that returns a fresh, empty
 * store (one per step). It checks recording with deduplication by
 * (trigger, key), input no store can keep, claims in order with leases
 * that run out, settling only by the owner, retries, listing, counts, the
 * cursor per trigger, pruning, racing records of one key, and
 * `waitForWork` woken by another store on the same data.
 *
 * @param t The test context.
 * @param fresh Returns a new, empty store.
 * @param options How to open a second store on the same data.
 * @returns Resolves when every step ran.
 *
 * @example
 * ```ts ignore
 * import { createMemoryDeliveryStore } from "@netscript/plugin-triggers-core/memory";
 * import { deliveryStoreConformance } from "@netscript/plugin-triggers-core/testing";
 *
 * Deno.test("the memory delivery store conforms", (t) =>
 *   deliveryStoreConformance(t, () => Promise.resolve(createMemoryDeliveryStore())));
 * ```
 */
export async function deliveryStoreConformance(
  t: Deno.TestContext,
  fresh: () => Promise<DeliveryStore>,
  options: DeliveryStoreConformanceOptions = {},
): Promise<void> {
  const step: Step = async (name, body) => {
    await t.step(name, async () => {
      const store = await fresh();
      const opened: DeliveryStore[] = [];
      const peer = async () => {
        if (options.peer === undefined) return store;
        const other = await options.peer(store);
        opened.push(other);
        return other;
      };
      try {
        await body(store, peer);
      } finally {
        await Promise.all([store, ...opened].map((s) => s.close()));
      }
    });
  };
  await recordSteps(step);
  await claimSteps(step);
  await querySteps(step);
  await waitSteps(step);
}
