import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import pg from "pg";
import { isNetScriptError } from "@netscript/contracts";
import { createLogger } from "@netscript/telemetry";
import { pgQuery, postgres } from "../../../../../tests/support/databases.ts";
import { assertAvailable } from "../../../../../tests/support/requirements.ts";
import type { SagaStore } from "../../ports/saga_store.ts";
import { sagaStoreConformance } from "../../testing/mod.ts";
import { createPostgresSagaStore } from "./mod.ts";
import {
  freshSagasDatabase,
  type TestDatabase,
  truncateSagasTables,
} from "./testdata/sagas_database.ts";

const quiet = createLogger({ service: "sagas-test", sink: () => {} });

/** A Postgres test: skipped with the printed reason when PostgreSQL is unreachable. */
function pgTest(
  name: string,
  fn: (database: TestDatabase, t: Deno.TestContext) => Promise<void>,
  options: { tables?: boolean } = {},
) {
  Deno.test({
    name,
    ignore: postgres.ignore,
    async fn(t) {
      assertAvailable(postgres, "postgres");
      const database = await freshSagasDatabase(options);
      try {
        await fn(database, t);
      } finally {
        await database.drop();
      }
    },
  });
}

/** A pool that counts the statements it sends: each is one round trip. */
class CountingPool extends pg.Pool {
  statements = 0;

  // deno-lint-ignore no-explicit-any
  override query(...args: any[]): any {
    this.statements++;
    // deno-lint-ignore no-explicit-any
    return (super.query as any)(...args);
  }
}

/** How many of the database's sessions wait for a lock. */
async function lockWaits(url: string): Promise<number> {
  const [row] = await pgQuery(
    url,
    "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
  );
  return row!.n as number;
}

/** Polls `done` until it holds; fails after about ten seconds of polls. */
async function until(what: string, done: () => boolean | Promise<boolean>): Promise<void> {
  for (let tries = 0; tries < 500; tries++) {
    if (await done()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`Gave up waiting until ${what}`);
}

/** The database's committed transactions, as the statistics collector counts them. */
async function committedTransactions(url: string): Promise<number> {
  const [row] = await pgQuery(
    url,
    "SELECT pg_stat_clear_snapshot(), xact_commit::int AS n FROM pg_stat_database WHERE datname = current_database()",
  );
  return row!.n as number;
}

pgTest(
  "createPostgresSagaStore() conforms to the saga store port, a second pool as the peer",
  (database, t) =>
    sagaStoreConformance(
      t,
      async () => {
        await truncateSagasTables(database.url);
        return createPostgresSagaStore({ url: database.url, logger: quiet });
      },
      {
        peer: () => Promise.resolve(createPostgresSagaStore({ url: database.url, logger: quiet })),
      },
    ),
);

pgTest(
  "createPostgresSagaStore() commits a step in one statement and one transaction",
  async (database) => {
    const pool = new CountingPool({ connectionString: database.url, max: 1 });
    const store = createPostgresSagaStore({ pool, logger: quiet });
    try {
      await store.watchStates([{ name: "checkout", state: "completed" }]);
      await store.start({ id: "s-1", name: "checkout", version: 1, input: "{}" });
      await store.claim({ owner: "w", limit: 1, leaseMs: 60_000, names: ["checkout"] });
      const before = await committedTransactions(database.url);
      const statements = pool.statements;
      for (let seq = 0; seq < 100; seq++) {
        const signal = seq % 10 === 0
          ? (await store.signal("s-1", "tick", `${seq}`))!.id
          : undefined;
        const outcome = await store.commit("s-1", "w", {
          entries: [{
            seq,
            kind: "step",
            name: `step-${seq}`,
            state: "completed",
            result: `{"seq":${seq}}`,
            error: null,
            attempts: 1,
            compensates: null,
            wakeAt: null,
          }],
          takeSignal: signal,
          progress: { state: seq === 99 ? "completed" : "running", output: `${seq}` },
        });
        ok(outcome.held);
      }
      equal(pool.statements - statements, 110, "one statement a commit (and one a signal)");
      await store.close();
      await pool.end();
      let after = await committedTransactions(database.url);
      for (let tries = 0; after - before < 110 && tries < 100; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        after = await committedTransactions(database.url);
      }
      const delta = after - before;
      // Up to 6 more: the setup's transactions (the watch, the start and its
      // wake-up, the claim) and the counting queries' own may be counted late.
      ok(
        delta >= 110 && delta <= 116,
        `110 transactions for 100 commits and 10 signals, not ${delta}`,
      );
      deepEqual(
        await pgQuery(database.url, "SELECT saga_id, state, error FROM sagas_state_events"),
        [{ saga_id: "s-1", state: "completed", error: null }],
        "the commit that completed the saga recorded the watched state",
      );
    } finally {
      await store.close();
      if (!pool.ended) await pool.end();
    }
  },
);

pgTest(
  "two stores on the same database claiming at once hand each saga to one owner",
  async (database) => {
    const stores: SagaStore[] = [0, 1].map(() =>
      createPostgresSagaStore({ url: database.url, logger: quiet })
    );
    try {
      for (let i = 0; i < 200; i++) {
        await stores[i % 2]!.start({ id: `s-${i}`, name: "checkout", version: 1, input: `${i}` });
      }
      const claimedBy = new Map<string, string>();
      const claimer = async (store: SagaStore, owner: string) => {
        for (;;) {
          const batch = await store.claim({
            owner,
            limit: 7,
            leaseMs: 60_000,
            names: ["checkout"],
          });
          if (batch.length === 0) return;
          for (const { saga } of batch) {
            equal(claimedBy.get(saga.id), undefined, `saga "${saga.id}" claimed twice`);
            claimedBy.set(saga.id, owner);
          }
        }
      };
      await Promise.all(
        Array.from({ length: 8 }, (_, i) => claimer(stores[i % 2]!, `runner-${i}`)),
      );
      equal(claimedBy.size, 200, "every saga claimed");
      ok(new Set(claimedBy.values()).size > 1, "by more than one runner");
      const [{ leased }] = await pgQuery(
        database.url,
        "SELECT count(*)::int AS leased FROM sagas_runs WHERE lease_owner IS NOT NULL",
      ) as [{ leased: number }];
      equal(leased, 200);
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  },
);

pgTest(
  "createPostgresSagaStore() watches a pair listed twice once (and none with a NUL), ignores ids that name no event and refuses a bad limit",
  async (database) => {
    const store = createPostgresSagaStore({ url: database.url, logger: quiet });
    try {
      const completed = { name: "checkout", state: "completed" };
      await store.watchStates([completed, completed, { name: "check\0out", state: "completed" }]);
      deepEqual(await pgQuery(database.url, "SELECT name, state FROM sagas_watched_states"), [
        completed,
      ]);
      const lease = { owner: "w", leaseMs: 60_000 };
      await store.start({ id: "s-1", name: "checkout", version: 1, input: "{}", lease });
      ok((await store.commit("s-1", "w", { progress: { state: "completed", output: "1" } })).held);
      const [event] = await store.readStateEvents(10);
      await store.removeStateEvents([
        "",
        "x",
        "-1",
        "0",
        `0${event!.id}`,
        `${event!.id}.0`,
        `${BigInt(event!.id) + 1n}`,
        "99999999999999999999",
      ]);
      deepEqual((await store.readStateEvents(10)).map(({ id }) => id), [event!.id]);
      for (const limit of [0, -1, 1.5]) await rejects(store.readStateEvents(limit), RangeError);
    } finally {
      await store.close();
    }
  },
);

pgTest(
  "createPostgresSagaStore() watchStates() resolves only after the commits under way",
  async (database) => {
    const store = createPostgresSagaStore({ url: database.url, logger: quiet });
    const blocker = new pg.Client({ connectionString: database.url });
    await blocker.connect();
    try {
      const lease = { owner: "w", leaseMs: 60_000 };
      await store.start({ id: "s-1", name: "checkout", version: 1, input: "{}", lease });
      await blocker.query("BEGIN");
      await blocker.query("SELECT 1 FROM sagas_runs WHERE id = 's-1' FOR UPDATE");
      const order: string[] = [];
      const committing = store.commit("s-1", "w", { progress: { state: "completed", output: "1" } })
        .then((outcome) => {
          order.push("commit");
          return outcome;
        });
      await until(
        "the commit waits for the saga's row",
        async () => await lockWaits(database.url) === 1,
      );
      const watching = store.watchStates([{ name: "checkout", state: "completed" }])
        .then(() => order.push("watch"));
      await until(
        "watchStates resolves or waits",
        async () => order.includes("watch") || await lockWaits(database.url) === 2,
      );
      await blocker.query("COMMIT");
      ok((await committing).held);
      await watching;
      deepEqual(order, ["commit", "watch"], "the commit under way ended first");
    } finally {
      await blocker.end();
      await store.close();
    }
  },
);

pgTest(
  "createPostgresSagaStore() reports missing tables as SCHEMA_MISSING",
  async (database) => {
    const store = createPostgresSagaStore({ url: database.url, logger: quiet });
    try {
      const calls = [
        () => store.stats(),
        () => store.get("s-1"),
        () => store.watchStates([{ name: "checkout", state: "completed" }]),
        () => store.readStateEvents(10),
        () => store.removeStateEvents(["1"]),
      ];
      for (const call of calls) {
        await rejects(call(), (error) => {
          ok(isNetScriptError(error, "SCHEMA_MISSING"), String(error));
          equal(error.details.dependency, "saga store");
          return true;
        });
      }
    } finally {
      await store.close();
    }
  },
  { tables: false },
);

Deno.test("createPostgresSagaStore() reports a server it cannot reach as STORE_UNAVAILABLE", async () => {
  const store = createPostgresSagaStore({
    url: "postgresql://postgres@127.0.0.1:1/nowhere",
    logger: quiet,
  });
  try {
    await rejects(store.stats(), (error) => {
      ok(isNetScriptError(error, "STORE_UNAVAILABLE"), String(error));
      equal(error.details.dependency, "saga store");
      return true;
    });
  } finally {
    await store.close();
  }
});

Deno.test("createPostgresSagaStore() refuses both a url and a pool", () => {
  let thrown: unknown;
  try {
    createPostgresSagaStore({ url: "postgresql://x@127.0.0.1/db", pool: {} as never });
  } catch (error) {
    thrown = error;
  }
  ok(thrown instanceof TypeError);
});
