/**
 * The conformance suite of the saga store port.
 *
 * @module
 */
import type { SagaStore } from "../ports/saga_store.ts";
import { claimSteps } from "./_claim_steps.ts";
import { commitSteps } from "./_commit_steps.ts";
import { controlSteps } from "./_control_steps.ts";
import type { Step } from "./_fixtures.ts";
import { querySteps } from "./_query_steps.ts";
import { startSteps } from "./_start_steps.ts";
import { stateEventSteps } from "./_state_event_steps.ts";
import { waitSteps } from "./_wait_steps.ts";

/** Options of {@linkcode sagaStoreConformance}. */
export interface SagaStoreConformanceOptions {
  /**
   * Opens a second store on the same data as `store`, as another process
   * would (a second pool, a second handle on the same KV file). The suite
   * closes it. The steps about racing claims and about waiters woken by
   * another store use it.
   * @default {`store` itself: the adapter cannot share its data}
   */
  readonly peer?: ((store: SagaStore) => Promise<SagaStore>) | undefined;
}

/**
 * The behaviour every saga store adapter must have, as test steps: run it
 * from an adapter's test with a factory that returns a fresh, empty store
 * (one per step). It checks starts (idempotent by id), claims (which
 * sagas, in what order, with what lease, with their journal and signals,
 * racing), commits (entries by seq, a signal taken, progress, the lease
 * ended, nothing written without the lease or with another saga's
 * signal), heartbeats, cancels, signals, retries, listing, counts, values
 * kept as their exact JSON text up to the size limit, and `waitForWork`.
 * Timing-dependent steps use leases and delays of a few hundred
 * milliseconds and never assert how long something took.
 *
 * @param t The test context.
 * @param fresh Returns a new, empty store.
 * @param options How to open a second store on the same data.
 * @returns Resolves when every step ran.
 *
 * @example
 * ```ts ignore
 * import { createMemorySagaStore } from "@netscript/plugin-sagas-core/memory";
 * import { sagaStoreConformance } from "@netscript/plugin-sagas-core/testing";
 *
 * Deno.test("the memory saga store conforms", (t) =>
 *   sagaStoreConformance(t, () => Promise.resolve(createMemorySagaStore())));
 * ```
 */
export async function sagaStoreConformance(
  t: Deno.TestContext,
  fresh: () => Promise<SagaStore>,
  options: SagaStoreConformanceOptions = {},
): Promise<void> {
  const step: Step = async (name, body) => {
    await t.step(name, async () => {
      const store = await fresh();
      const opened: SagaStore[] = [];
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
  await startSteps(step);
  await claimSteps(step);
  await commitSteps(step);
  await controlSteps(step);
  await querySteps(step);
  await waitSteps(step);
  await stateEventSteps(step);
}
