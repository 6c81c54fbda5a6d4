/**
 * Conformance steps for `waitForChange`, which backs long-polls and SSE:
 * it ends on a commit (from this store or another on the same data), on
 * its timeout, on its signal, and on `close()`.
 *
 * @module
 */
import { equal, ok } from "node:assert/strict";
import type { StreamStore } from "../ports/stream_store.ts";
import { append, chunk, createStream, sleep, soon, type Step } from "./_fixtures.ts";

/** Longer than any step may take: a wait with this timeout ends by something else. */
const FOREVER = 120_000;

/** Waits like a long-poll does: until `path` is no longer at `version`, reading again after each wake. */
async function waitPast(store: StreamStore, path: string, version: number): Promise<void> {
  while ((await store.get(path))?.version === version) {
    await store.waitForChange(path, version, { timeoutMs: FOREVER });
  }
}

/**
 * Runs the `waitForChange` steps.
 *
 * @param step Runs one step on a fresh store.
 */
export async function waitSteps(step: Step): Promise<void> {
  await step("waitForChange ends at once when the version already moved on", async (store) => {
    const record = await createStream(store, "/s");
    ok(await store.commit([append(record, [chunk(0, 1, "a")])]));
    await soon(store.waitForChange("/s", 1, { timeoutMs: FOREVER }), "stale version");
    await soon(store.waitForChange("/gone", 1, { timeoutMs: FOREVER }), "no stream");
  });

  await step(
    "waitForChange wakes on a commit by another store on the same data",
    async (store, peer) => {
      const other = await peer();
      const record = await createStream(store, "/s");
      await createStream(store, "/t");
      const waiting = waitPast(store, "/s", 1);
      await sleep(100);
      ok(await other.commit([append(record, [chunk(0, 1, "a")])]));
      await soon(waiting, "a waiter on /s after the commit");
      const again = waitPast(other, "/s", 2);
      await sleep(100);
      ok(await store.commit([append((await store.get("/s"))!, [chunk(1, 2, "b")])]));
      await soon(again, "a waiter in the other store");
    },
  );

  await step("waitForChange wakes when the stream is deleted", async (store, peer) => {
    const other = await peer();
    await createStream(store, "/s");
    const waiting = waitPast(store, "/s", 1);
    await sleep(100);
    ok(await other.commit([{ kind: "delete", path: "/s", expectedVersion: 1 }]));
    await soon(waiting, "a waiter on a deleted stream");
  });

  await step("waitForChange times out when nothing changes", async (store) => {
    await createStream(store, "/s");
    await soon(store.waitForChange("/s", 1, { timeoutMs: 200 }), "a 200 ms wait");
    equal((await store.get("/s"))?.version, 1);
  });

  await step("waitForChange ends when its signal aborts", async (store) => {
    await createStream(store, "/s");
    const controller = new AbortController();
    const waiting = store.waitForChange("/s", 1, { timeoutMs: FOREVER, signal: controller.signal });
    await sleep(50);
    controller.abort();
    await soon(waiting, "an aborted wait");
    await soon(
      store.waitForChange("/s", 1, { timeoutMs: FOREVER, signal: controller.signal }),
      "a wait with an aborted signal",
    );
  });

  await step("close() ends pending waits, and closing twice is harmless", async (store) => {
    await createStream(store, "/s");
    const waiting = store.waitForChange("/s", 1, { timeoutMs: FOREVER });
    await sleep(50);
    await store.close();
    await soon(waiting, "a wait on a closed store");
    await store.close();
  });
}
