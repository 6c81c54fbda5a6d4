import { deepEqual, equal } from "node:assert/strict";
import type { StoredConfig } from "./config_store.ts";
import { StoreWatches, watchRevisions } from "./_watch_revisions.ts";

const at = (revision: number): StoredConfig => ({
  topic: "workers",
  value: revision,
  revision,
  updatedAt: new Date(0).toISOString(),
});

Deno.test("watchRevisions() reports a failed re-read, retries it, and yields only newer revisions", async () => {
  const reads: Array<StoredConfig | Error> = [
    at(1),
    new Error("connection lost"),
    at(3),
    at(2),
    at(4),
  ];
  const failures: number[] = [];
  let wake = () => {};
  let stopped = 0;
  const controller = new AbortController();
  const iterator = watchRevisions({
    read: () => {
      const next = reads.shift() ?? at(4);
      if (next instanceof Error) return Promise.reject(next);
      if (next.revision === 2) wake(); // a notification during the read
      return Promise.resolve(next);
    },
    listen(w) {
      wake = w;
      return () => {
        stopped++;
      };
    },
    signal: controller.signal,
    onReadError: (_error, count) => failures.push(count),
  });
  equal((await iterator.next()).value?.revision, 1);
  const pending = iterator.next();
  wake();
  equal((await pending).value?.revision, 3, "read again after the retry pause");
  deepEqual(failures, [1]);
  const later = iterator.next();
  wake();
  equal((await later).value?.revision, 4, "an older revision (2) is not yielded");
  const end = iterator.next();
  controller.abort();
  equal((await end).done, true);
  equal(stopped, 1, "notifications stop once");
});

Deno.test("watchRevisions() ends with the first read's error", async () => {
  let stopped = false;
  const iterator = watchRevisions({
    read: () => Promise.reject(new Error("no database")),
    listen: () => () => {
      stopped = true;
    },
    signal: new AbortController().signal,
    onReadError: () => {},
  });
  await iterator.next().then(
    () => Promise.reject(new Error("expected a failure")),
    (error: Error) => equal(error.message, "no database"),
  );
  equal(stopped, true);
});

Deno.test("StoreWatches.close() stops a watch whose consumer holds a value", async () => {
  const watches = new StoreWatches();
  let released = false;
  const iterator = watches.watch({
    read: () => Promise.resolve(at(1)),
    listen: () => async () => {
      await Promise.resolve();
      released = true;
    },
    signal: new AbortController().signal,
    onReadError: () => {},
  });
  equal((await iterator.next()).value?.revision, 1);
  await watches.close();
  equal(released, true, "released while the generator is suspended at its yield");
  equal(watches.closed, true);
  equal((await iterator.next()).done, true);
});
