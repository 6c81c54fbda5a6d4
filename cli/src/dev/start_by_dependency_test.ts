import { deepEqual, equal, rejects, throws } from "node:assert/strict";
import { type DependencyNode, dependencyOrder, startByDependency } from "./start_by_dependency.ts";

/**
 * A fake start: records each call, and lets the test decide when (and
 * whether) each node's start succeeds.
 */
function fakeStarts() {
  const calls: string[] = [];
  const pending = new Map<string, PromiseWithResolvers<void>>();
  return {
    calls,
    start(node: DependencyNode): Promise<void> {
      calls.push(node.name);
      const deferred = Promise.withResolvers<void>();
      pending.set(node.name, deferred);
      return deferred.promise;
    },
    succeed(name: string) {
      pending.get(name)!.resolve();
    },
    fail(name: string, error: Error) {
      pending.get(name)!.reject(error);
    },
  };
}

/** Lets every queued promise callback run. */
async function settle(): Promise<void> {
  for (let turn = 0; turn < 10; turn++) await Promise.resolve();
}

const GRAPH: DependencyNode[] = [
  { name: "api", waitFor: ["db", "cache"] },
  { name: "workers-api", waitFor: ["db", "cache"] },
  { name: "workers-worker", waitFor: ["db", "cache", "workers-api"] },
];

Deno.test("startByDependency() starts independent nodes together and a dependent after its dependency", async () => {
  const fake = fakeStarts();
  let done = false;
  const started = startByDependency(GRAPH, fake.start, { onFailure: () => Promise.resolve() })
    .then(() => done = true);
  await settle();
  deepEqual(fake.calls, ["api", "workers-api"], "both services start before either is up");
  fake.succeed("api");
  await settle();
  deepEqual(fake.calls, ["api", "workers-api"], "the worker waits for its own service");
  fake.succeed("workers-api");
  await settle();
  deepEqual(fake.calls, ["api", "workers-api", "workers-worker"]);
  equal(done, false);
  fake.succeed("workers-worker");
  await started;
  equal(done, true);
});

Deno.test("startByDependency() starts nothing more after a failure, stops, and rejects with it", async () => {
  const fake = fakeStarts();
  const failures: unknown[] = [];
  const cause = new Error("workers-api never answered");
  const started = startByDependency(GRAPH, fake.start, {
    onFailure(error) {
      failures.push(error);
      // Stopping the processes makes the start still in flight fail too.
      fake.fail("api", new Error("api exited before answering"));
      return Promise.resolve();
    },
  });
  await settle();
  fake.fail("workers-api", cause);
  await rejects(started, (error) => {
    equal(error, cause, "the first failure, not the one stopping caused");
    return true;
  });
  deepEqual(failures, [cause], "onFailure runs once");
  deepEqual(fake.calls, ["api", "workers-api"], "the dependent never starts");
});

Deno.test("startByDependency() waits for the starts in flight before it rejects", async () => {
  const fake = fakeStarts();
  let settled = false;
  const started = startByDependency(GRAPH, fake.start, { onFailure: () => Promise.resolve() })
    .catch((error: Error) => {
      settled = true;
      return error.message;
    });
  await settle();
  fake.fail("api", new Error("api failed"));
  await settle();
  equal(settled, false, "workers-api is still starting");
  fake.succeed("workers-api");
  equal(await started, "api failed");
  deepEqual(fake.calls, ["api", "workers-api"], "its worker does not start after the failure");
});

Deno.test("startByDependency() rejects with what onFailure throws: processes may be left", async () => {
  const fake = fakeStarts();
  const started = startByDependency([{ name: "api", waitFor: [] }], fake.start, {
    onFailure: () => Promise.reject(new Error("cannot stop api")),
  });
  await settle();
  fake.fail("api", new Error("api failed"));
  await rejects(started, /cannot stop api/);
});

Deno.test("dependencyOrder() puts dependencies first and keeps the given order otherwise", async (t) => {
  await t.step("a dependent listed first moves behind its dependency", () => {
    deepEqual(
      dependencyOrder([
        { name: "worker", waitFor: ["api"] },
        { name: "docs", waitFor: [] },
        { name: "api", waitFor: ["db"] },
      ]).map((node) => node.name),
      ["api", "worker", "docs"],
    );
  });
  await t.step("an order that already holds is kept", () => {
    deepEqual(dependencyOrder(GRAPH).map((node) => node.name), GRAPH.map((node) => node.name));
  });
  await t.step("a cycle is named", () => {
    throws(
      () =>
        dependencyOrder([
          { name: "a", waitFor: ["b"] },
          { name: "b", waitFor: ["c"] },
          { name: "c", waitFor: ["a"] },
        ]),
      { name: "TypeError", message: /wait for each other \(a → b → c → a\)/ },
    );
  });
  await t.step("a name used twice is refused", () => {
    throws(
      () => dependencyOrder([{ name: "a", waitFor: [] }, { name: "a", waitFor: [] }]),
      { name: "TypeError", message: /"a" appears twice/ },
    );
  });
});

Deno.test("startByDependency() refuses a cycle before it starts anything", async () => {
  const fake = fakeStarts();
  await rejects(
    startByDependency(
      [{ name: "a", waitFor: ["a"] }],
      fake.start,
      { onFailure: () => Promise.resolve() },
    ),
    TypeError,
  );
  deepEqual(fake.calls, []);
});
