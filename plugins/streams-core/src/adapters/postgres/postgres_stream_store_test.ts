import { deepEqual, equal, match, ok, rejects } from "node:assert/strict";
import pg from "pg";
import { isNetScriptError } from "@netscript/contracts";
import { createLogger } from "@netscript/telemetry";
import type { StreamRecord } from "../../ports/stream_store.ts";
import { streamStoreConformance } from "../../testing/mod.ts";
import { freshPostgresDatabase, postgres } from "../../../../../tests/support/databases.ts";
import { assertAvailable } from "../../../../../tests/support/requirements.ts";
import { createPostgresStreamStore } from "./mod.ts";
import {
  freshStreamsDatabase,
  type TestDatabase,
  truncateStreamsTables,
} from "./testdata/streams_database.ts";

const quiet = createLogger({ service: "streams-test", sink: () => {} });

/** A byte stream's first record. */
const record = (path: string): StreamRecord => ({
  path,
  contentType: "application/octet-stream",
  createdAt: 1_700_000_000_000,
  accessedAt: 1_700_000_000_000,
  ttlSeconds: null,
  expiresAt: null,
  closed: false,
  closedBy: null,
  softDeleted: false,
  fork: null,
  forkCount: 0,
  tail: 0,
  trimmedTo: 0,
  lastSeq: null,
  producers: {},
  version: 1,
});

/** A Postgres test: skipped with the printed reason when PostgreSQL is unreachable. */
function pgTest(name: string, fn: (database: TestDatabase, t: Deno.TestContext) => Promise<void>) {
  Deno.test({
    name,
    ignore: postgres.ignore,
    async fn(t) {
      assertAvailable(postgres, "postgres");
      const database = await freshStreamsDatabase();
      try {
        await fn(database, t);
      } finally {
        await database.drop();
      }
    },
  });
}

pgTest(
  "the Postgres stream store conforms to the stream store port",
  (database, t) =>
    streamStoreConformance(
      t,
      async () => {
        await truncateStreamsTables(database.url);
        return createPostgresStreamStore({ url: database.url, logger: quiet });
      },
      { peer: () => createPostgresStreamStore({ url: database.url, logger: quiet }) },
    ),
);

pgTest("close() leaves a pool it was given open", async (database) => {
  const pool = new pg.Pool({ connectionString: database.url });
  try {
    const store = await createPostgresStreamStore({ pool, logger: quiet });
    ok(
      await store.commit([{
        kind: "put",
        expectedVersion: null,
        record: record("/s"),
        chunks: [],
      }]),
    );
    await store.waitForChange("/s", 1, { timeoutMs: 1_000 });
    await store.close();
    deepEqual((await pool.query("select path from streams_streams")).rows, [{ path: "/s" }]);
  } finally {
    await pool.end();
  }
});

pgTest("a touch relaxes only its own commit's durability", async (database) => {
  const pool = new pg.Pool({ connectionString: database.url, max: 1 });
  try {
    const store = await createPostgresStreamStore({ pool, logger: quiet });
    ok(
      await store.commit([{
        kind: "put",
        expectedVersion: null,
        record: record("/s"),
        chunks: [],
      }]),
    );
    await store.touch("/s", 1_800_000_000_000);
    equal((await store.get("/s"))?.accessedAt, 1_800_000_000_000);
    const [setting] = (await pool.query("show synchronous_commit")).rows;
    deepEqual(setting, { synchronous_commit: "on" }, "the pool's one connection is back to on");
    await store.close();
  } finally {
    await pool.end();
  }
});

Deno.test("createPostgresStreamStore() refuses both a url and a pool", async () => {
  const pool = new pg.Pool({ connectionString: "postgresql://postgres@127.0.0.1:1/app" });
  try {
    await rejects(
      createPostgresStreamStore({ url: "postgresql://postgres@127.0.0.1:1/app", pool }),
      TypeError,
    );
  } finally {
    await pool.end();
  }
});

Deno.test("an unreachable database fails with STORE_UNAVAILABLE, without the password", async () => {
  const store = await createPostgresStreamStore({
    url: "postgresql://app:hunter2@127.0.0.1:1/app",
    logger: quiet,
  });
  try {
    const calls = [
      () => store.get("/s"),
      () =>
        store.commit([{ kind: "put", expectedVersion: null, record: record("/s"), chunks: [] }]),
      () => store.readChunks("/s", 0, { maxBytes: 10 }),
      () => store.list({ limit: 10 }),
      () => store.waitForChange("/s", 1, { timeoutMs: 1_000 }),
    ];
    for (const call of calls) {
      await rejects(call(), (error: unknown) => {
        ok(isNetScriptError(error, "STORE_UNAVAILABLE"), String(error));
        match(error.message, /^Cannot reach the streams store at 127\.0\.0\.1:1\/app: /);
        ok(!JSON.stringify(error.toJSON()).includes("hunter2"), "no password");
        equal(error.details?.dependency, "stream store");
        return true;
      });
    }
  } finally {
    await store.close();
  }
});

Deno.test({
  name: "missing tables fail with SCHEMA_MISSING, pointing at netscript db migrate",
  ignore: postgres.ignore,
  async fn() {
    assertAvailable(postgres, "postgres");
    const database = await freshPostgresDatabase();
    const store = await createPostgresStreamStore({ url: database.url, logger: quiet });
    try {
      const calls = [
        () => store.get("/s"),
        () =>
          store.commit([{ kind: "put", expectedVersion: null, record: record("/s"), chunks: [] }]),
        () => store.dropChunks("/s", 1),
        () => store.touch("/s", 1),
      ];
      for (const call of calls) {
        await rejects(call(), (error: unknown) => {
          ok(isNetScriptError(error, "SCHEMA_MISSING"), String(error));
          match(error.message, /streams tables .* are missing .*run netscript db migrate/);
          return true;
        });
      }
    } finally {
      await store.close();
      await database.drop();
    }
  },
});
