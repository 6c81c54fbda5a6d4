/**
 * The conformance suite of the stream store port.
 *
 * @module
 */
import type { StreamStore } from "../ports/stream_store.ts";
import { chunkSteps } from "./_chunk_steps.ts";
import { commitSteps } from "./_commit_steps.ts";
import type { Step } from "./_fixtures.ts";
import { waitSteps } from "./_wait_steps.ts";

/** Options of {@linkcode streamStoreConformance}. */
export interface StreamStoreConformanceOptions {
  /**
   * Opens a second store on the same data as `store`, as another process
   * would (a second pool, a second handle on the same KV file). The suite
   * closes it. Steps about commits racing and about waiters woken by
   * another store use it.
   * @default {`store` itself: the adapter cannot share its data}
   */
  peer?: ((store: StreamStore) => Promise<StreamStore>) | undefined;
}

/**
 * The behaviour every stream store adapter must have, as test steps: run it
 * from an adapter's test with a factory that returns a fresh, empty store
 * (one per step). It checks records and atomic commits with version
 * checks, chunk reads, retention's `dropChunks`, `touch`, `list`, racing
 * commits, chunks of a few megabytes, and `waitForChange` woken by another
 * store on the same data.
 *
 * @param t The test context.
 * @param fresh Returns a new, empty store.
 * @param options How to open a second store on the same data.
 *
 * @example
 * ```ts ignore
 * import { createMemoryStreamStore } from "@netscript/plugin-streams-core/memory";
 * import { streamStoreConformance } from "@netscript/plugin-streams-core/testing";
 *
 * Deno.test("the memory stream store conforms", (t) =>
 *   streamStoreConformance(t, () => createMemoryStreamStore()));
 * ```
 */
export async function streamStoreConformance(
  t: Deno.TestContext,
  fresh: () => Promise<StreamStore>,
  options: StreamStoreConformanceOptions = {},
): Promise<void> {
  const step: Step = async (name, body) => {
    await t.step(name, async () => {
      const store = await fresh();
      const opened: StreamStore[] = [];
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
  await commitSteps(step);
  await chunkSteps(step);
  await waitSteps(step);
}
