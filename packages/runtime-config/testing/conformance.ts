import { deepEqual, equal, ok, rejects, throws } from "node:assert/strict";
import { isNetScriptError } from "@netscript/contracts/errors";
import type { ConfigStore, StoredConfig } from "../config_store.ts";

/** How long a step waits for a value it expects before it fails. */
const WAIT_MS = 5_000;

/**
 * The behaviour every config store adapter must have, as test steps: run it
 * from an adapter's test with a function that opens a fresh, empty store
 * (one per step). No step measures time; a value a step waits for must
 * arrive within a few seconds or the step fails.
 *
 * @param t The test context.
 * @param open Opens a new, empty store.
 * @returns When every step has run.
 *
 * @example
 * ```ts ignore
 * import { createMemoryConfigStore } from "@netscript/runtime-config/memory";
 * import { configStoreConformance } from "@netscript/runtime-config/testing";
 *
 * Deno.test("the memory store conforms", (t) =>
 *   configStoreConformance(t, createMemoryConfigStore));
 * ```
 */
export async function configStoreConformance(
  t: Deno.TestContext,
  open: () => Promise<ConfigStore>,
): Promise<void> {
  const step = (name: string, body: (store: ConfigStore) => Promise<void>) =>
    t.step(name, async () => {
      const store = await open();
      try {
        await body(store);
      } finally {
        await store.close();
      }
    });

  await step("a topic never written reads as undefined", async (store) => {
    equal(await store.read("workers"), undefined);
  });

  await step("writes are read back with revisions 1, 2, 3", async (store) => {
    const before = Date.now();
    for (
      const [index, value] of [{ concurrency: 1 }, { concurrency: 2 }, [1, "x", null]].entries()
    ) {
      const written = await store.write("workers", value);
      equal(written.topic, "workers");
      equal(written.revision, index + 1);
      deepEqual(written.value, value);
      deepEqual(await store.read("workers"), written);
    }
    const { updatedAt } = (await store.read("workers"))!;
    equal(new Date(updatedAt).toISOString(), updatedAt, "updatedAt is an ISO timestamp");
    ok(Date.parse(updatedAt) >= before - 60_000, "updatedAt is the time of the write");
    equal(await store.read("other"), undefined, "revisions and values are per topic");
    equal((await store.write("other", 1)).revision, 1);
  });

  await step("a write expecting another revision is refused and changes nothing", async (store) => {
    equal((await store.write("workers", "a", { expectedRevision: 0 })).revision, 1);
    await rejects(store.write("workers", "b", { expectedRevision: 0 }), (error: unknown) => {
      if (!isNetScriptError(error, "CONFIG_REVISION_CONFLICT")) return false;
      deepEqual(error.details, { topic: "workers", expectedRevision: 0, actualRevision: 1 });
      return true;
    });
    equal((await store.write("workers", "c", { expectedRevision: 1 })).revision, 2);
    await rejects(
      store.write("workers", "d", { expectedRevision: 1 }),
      (error) => isNetScriptError(error, "CONFIG_REVISION_CONFLICT"),
    );
    await rejects(
      store.write("new-topic", "e", { expectedRevision: 3 }),
      (error) => isNetScriptError(error, "CONFIG_REVISION_CONFLICT"),
    );
    const stored = await store.read("workers");
    equal(stored?.value, "c");
    equal(stored?.revision, 2);
    equal(await store.read("new-topic"), undefined);
  });

  await step("of concurrent writes expecting one revision, exactly one wins", async (store) => {
    await store.write("workers", 0);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => store.write("workers", i + 1, { expectedRevision: 1 })),
    );
    const won = outcomes.filter((outcome) => outcome.status === "fulfilled");
    equal(won.length, 1);
    for (const outcome of outcomes) {
      if (outcome.status === "rejected") {
        ok(isNetScriptError(outcome.reason, "CONFIG_REVISION_CONFLICT"), String(outcome.reason));
      }
    }
    equal((await store.read("workers"))?.revision, 2);
  });

  await step("concurrent writes each get their own revision", async (store) => {
    const written = await Promise.all(
      Array.from({ length: 10 }, (_, i) => store.write("workers", { i })),
    );
    deepEqual(written.map((w) => w.revision).sort((a, b) => a - b), [
      1,
      2,
      3,
      4,
      5,
      6,
      7,
      8,
      9,
      10,
    ]);
    equal((await store.read("workers"))?.revision, 10);
  });

  await step("a watch yields the current value first, then a later write", async (store) => {
    await store.write("workers", { concurrency: 1 });
    await withWatch(store, "workers", async (next) => {
      const first = await next();
      equal(first?.revision, 1);
      deepEqual(first?.value, { concurrency: 1 });
      await store.write("workers", { concurrency: 2 });
      const second = await next();
      equal(second?.revision, 2);
      deepEqual(second?.value, { concurrency: 2 });
    });
  });

  await step(
    "a watch of a topic never written yields undefined, then the first write",
    async (store) => {
      await withWatch(store, "workers", async (next) => {
        equal(await next(), undefined);
        await store.write("workers", "first");
        const first = await next();
        equal(first?.revision, 1);
        equal(first?.value, "first");
      });
    },
  );

  await step("watches of two topics are independent", async (store) => {
    await withWatch(store, "alpha", (nextAlpha) =>
      withWatch(store, "beta", async (nextBeta) => {
        equal(await nextAlpha(), undefined);
        equal(await nextBeta(), undefined);
        await store.write("alpha", "a1");
        equal((await nextAlpha())?.value, "a1");
        await store.write("beta", "b1");
        const beta = await nextBeta();
        equal(beta?.topic, "beta", "the beta watch never yielded alpha's write");
        equal(beta?.value, "b1");
        equal(beta?.revision, 1);
      }));
  });

  await step("a watch never misses the latest of quick writes", async (store) => {
    await withWatch(store, "workers", async (next) => {
      equal(await next(), undefined);
      await Promise.all(Array.from({ length: 20 }, (_, i) => store.write("workers", i)));
      let last = 0;
      while (last < 20) {
        const seen = await next();
        ok(seen !== undefined && seen.revision > last, "revisions only grow");
        last = seen.revision;
      }
      equal((await store.read("workers"))?.revision, 20);
    });
  });

  await step("a watch ends when its signal aborts", async (store) => {
    const controller = new AbortController();
    const iterator = store.watch("workers", { signal: controller.signal })[Symbol.asyncIterator]();
    equal((await within(iterator.next(), "the first value")).value, undefined);
    const pending = iterator.next();
    controller.abort();
    equal((await within(pending, "the end of the watch")).done, true);
    controller.abort();
    const aborted = store.watch("workers", { signal: controller.signal })[Symbol.asyncIterator]();
    equal((await within(aborted.next(), "the end of the watch")).done, true, "nothing after abort");
  });

  await step("close ends the watches in progress", async (store) => {
    const controller = new AbortController();
    const iterator = store.watch("workers", { signal: controller.signal })[Symbol.asyncIterator]();
    await within(iterator.next(), "the first value");
    const pending = iterator.next();
    await store.close();
    equal((await within(pending, "the end of the watch")).done, true);
  });

  await step("values are copied through JSON, never shared", async (store) => {
    const value = {
      when: new Date("2026-01-02T03:04:05.000Z"),
      list: [1, { deep: true }],
      gone: undefined,
    };
    const written = await store.write("workers", value);
    value.list.push(2);
    const expected = { when: "2026-01-02T03:04:05.000Z", list: [1, { deep: true }] };
    deepEqual(written.value, expected);
    const read = (await store.read("workers"))!;
    deepEqual(read.value, expected);
    (read.value as { list: unknown[] }).list.push("changed");
    deepEqual((await store.read("workers"))?.value, expected, "a read's value is its own copy");
    await withWatch(store, "workers", async (next) => {
      const seen = (await next())!;
      (seen.value as { list: unknown[] }).list.push("changed");
      deepEqual((await store.read("workers"))?.value, expected, "a watched value is its own copy");
    });
  });

  await step("bad arguments are refused before anything is written", async (store) => {
    await rejects(store.write("Not A Topic", 1), TypeError);
    await rejects(store.read(""), TypeError);
    throws(() => store.watch("a b", { signal: new AbortController().signal }), TypeError);
    await rejects(store.write("workers", 1, { expectedRevision: -1 }), RangeError);
    await rejects(store.write("workers", 1, { expectedRevision: 1.5 }), RangeError);
    await rejects(store.write("workers", undefined), TypeError);
    await rejects(store.write("workers", { big: 1n }), TypeError);
    equal(await store.read("workers"), undefined);
  });
}

/**
 * Runs `body` with a watch of `topic`; `next()` waits (boundedly) for the
 * watch's next value. The watch is ended and drained afterwards.
 */
async function withWatch(
  store: ConfigStore,
  topic: string,
  body: (next: () => Promise<StoredConfig | undefined>) => Promise<void>,
): Promise<void> {
  const controller = new AbortController();
  const iterator = store.watch(topic, { signal: controller.signal })[Symbol.asyncIterator]();
  try {
    await body(async () => {
      const result = await within(iterator.next(), `the next value of "${topic}"`);
      if (result.done) throw new Error(`The watch of "${topic}" ended early`);
      return result.value;
    });
  } finally {
    controller.abort();
    await iterator.return?.();
  }
}

/** Waits for `promise`, failing after {@linkcode WAIT_MS}; the timer is always cleared. */
async function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out waiting for ${what}`)), WAIT_MS);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
