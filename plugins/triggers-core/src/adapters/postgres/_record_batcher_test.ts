import { deepEqual, equal, ok } from "node:assert/strict";
import { isNetScriptError } from "@netscript/contracts";
import { createLogger } from "@netscript/telemetry";
import { pgQuery } from "../../../../../tests/support/databases.ts";
import type { DeliveryStore } from "../../ports/delivery_store.ts";
import { webhook } from "../../testing/_fixtures.ts";
import { createPostgresDeliveryStore } from "./mod.ts";
import { pgTest } from "./testdata/triggers_database.ts";

const quiet = createLogger({ service: "triggers-test", sink: () => {} });

/** Runs `body` on a store over `url`, closing it afterwards. */
async function withStore(url: string, body: (store: DeliveryStore) => Promise<void>) {
  const store = createPostgresDeliveryStore({ url, logger: quiet });
  try {
    await body(store);
  } finally {
    await store.close();
  }
}

/** The rows each transaction wrote, in the order they were written. */
async function rowsPerTransaction(url: string): Promise<number[]> {
  const rows = await pgQuery(
    url,
    "SELECT count(*)::int AS rows FROM triggers_deliveries GROUP BY xmin::text ORDER BY min(seq)",
  );
  return rows.map((row) => row.rows as number);
}

pgTest(
  "record() writes a lone call at once and the calls made meanwhile together, up to 100 per statement",
  ({ url }) =>
    withStore(url, async (store) => {
      const keys = Array.from({ length: 250 }, (_, i) => `d-${i}`);
      const results = await Promise.all(keys.map((key) => store.record(webhook("github", key))));
      equal(results.filter((result) => !result.duplicate).length, 250);
      deepEqual(await rowsPerTransaction(url), [1, 100, 100, 49]);
      const stored = await pgQuery(
        url,
        "SELECT id::text AS id, key FROM triggers_deliveries ORDER BY seq",
      );
      deepEqual(stored.map((row) => row.key), keys, "in call order");
      deepEqual(stored.map((row) => row.id), results.map((result) => result.id));
    }),
);

pgTest(
  "record() calls of one key in one batch make one delivery; the others are its duplicates",
  ({ url }) =>
    withStore(url, async (store) => {
      const old = await store.record(webhook("github", "old"));
      const [a, b, c, oldAgain, oldThird, rejected, afterRejected, other] = await Promise.all([
        store.record(webhook("github", "same", { payload: { tag: "a" } })),
        store.record(webhook("github", "same", { payload: { tag: "b" } })),
        store.record(webhook("github", "same", { state: "rejected", error: "late" })),
        store.record(webhook("github", "old")),
        store.record(webhook("github", "old")),
        store.record(webhook("stripe", "same", { state: "rejected", error: "bad" })),
        store.record(webhook("stripe", "same")),
        store.record(webhook("github", "other")),
      ]);
      deepEqual(a, { id: a!.id, duplicate: false, state: "pending" });
      deepEqual(b, { id: a!.id, duplicate: true, state: "pending" });
      deepEqual(c, { id: a!.id, duplicate: true, state: "pending" });
      deepEqual((await store.get(a!.id))!.payload, { tag: "a" });
      deepEqual(oldAgain, { id: old.id, duplicate: true, state: "pending" });
      deepEqual(oldThird, oldAgain);
      deepEqual(rejected, { id: rejected!.id, duplicate: false, state: "rejected" });
      deepEqual(afterRejected, { id: rejected!.id, duplicate: true, state: "rejected" });
      equal(other!.duplicate, false);
      const batch = await pgQuery(
        url,
        "SELECT count(DISTINCT xmin::text)::int AS n FROM triggers_deliveries WHERE key <> 'old'",
      );
      equal(batch[0]!.n, 1, "the new rows were written by one statement");
      equal((await store.list()).total, 4);
    }),
);

pgTest(
  "record() fails only the call whose delivery cannot be stored; the rest of its batch is written",
  ({ url }) =>
    withStore(url, async (store) => {
      const inFlight = store.record(webhook("github", "lone"));
      const settled = await Promise.allSettled([
        store.record(webhook("github", "g-1")),
        store.record(webhook("github", "bad", { payload: "a\u0000b", cursor: "9" })),
        store.record(webhook("github", "g-2")),
      ]);
      await inFlight;
      deepEqual(settled.map((result) => result.status), ["fulfilled", "rejected", "fulfilled"]);
      ok((settled[1] as PromiseRejectedResult).reason instanceof RangeError);
      deepEqual(await rowsPerTransaction(url), [1, 2]);
      equal(await store.cursor("github"), null);
      equal((await store.record(webhook("github", "bad"))).duplicate, false, "its key is free");
    }),
);

pgTest(
  "record() fails only the call whose row the database refuses, writing the rest of its batch once",
  ({ url }) =>
    withStore(url, async (store) => {
      const bytes = crypto.getRandomValues(new Uint8Array(6_000));
      const hugeKey = Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
      const inFlight = store.record(webhook("github", "lone"));
      const settled = await Promise.allSettled([
        store.record(webhook("github", "g-1", { cursor: "2026-01-01" })),
        store.record(webhook("github", hugeKey, { cursor: "2026-12-31" })),
        store.record(webhook("github", "g-2", { cursor: "2026-01-02" })),
      ]);
      await inFlight;
      deepEqual(settled.map((result) => result.status), ["fulfilled", "rejected", "fulfilled"]);
      const { reason } = settled[1] as PromiseRejectedResult;
      ok(!isNetScriptError(reason), String(reason));
      equal((reason as { code?: unknown }).code, "54000", "program limit exceeded");
      const keys = await pgQuery(url, "SELECT key FROM triggers_deliveries ORDER BY seq");
      deepEqual(keys.map((row) => row.key), ["lone", "g-1", "g-2"]);
      equal(await store.cursor("github"), "2026-01-02", "the refused row moved nothing");
    }),
);

pgTest(
  "record() moves each trigger's cursor to the greatest of its new deliveries in one batch",
  ({ url }) =>
    withStore(url, async (store) => {
      await store.record(webhook("cron", "taken"));
      const inFlight = store.record(webhook("github", "lone"));
      await Promise.all([
        store.record(webhook("cron", "t-2", { cursor: "2026-01-02T00:00:00.000Z" })),
        store.record(webhook("cron", "t-3", { cursor: "2026-01-03T00:00:00.000Z" })),
        store.record(webhook("cron", "t-1", { cursor: "2026-01-01T00:00:00.000Z" })),
        store.record(webhook("cron", "taken", { cursor: "2026-12-31T00:00:00.000Z" })),
        store.record(webhook("stream", "9", { cursor: "9" })),
        store.record(webhook("stream", "10", { cursor: "10" })),
      ]);
      await inFlight;
      equal(await store.cursor("cron"), "2026-01-03T00:00:00.000Z", "a duplicate moves nothing");
      equal(await store.cursor("stream"), "9", "compared as strings");
      equal(await store.cursor("github"), null);
    }),
);
