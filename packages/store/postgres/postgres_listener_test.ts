import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { createLogger, type LogLevel } from "@netscript/telemetry";
import { freshPostgresDatabase, pgQuery, postgres } from "../../../tests/support/databases.ts";
import { assertAvailable } from "../../../tests/support/requirements.ts";
import { createPostgresListener, describePostgresTarget } from "./mod.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function timed(wait: Promise<void>): Promise<number> {
  const started = performance.now();
  await wait;
  return performance.now() - started;
}

function listenerTest(
  name: string,
  fn: (
    setup: {
      url: string;
      listener: ReturnType<typeof createPostgresListener>;
      notifications: [string, string | undefined][];
      logs: { level: LogLevel; msg: string }[];
    },
  ) => Promise<void>,
) {
  Deno.test({
    name,
    ignore: postgres.ignore,
    async fn() {
      assertAvailable(postgres, "postgres");
      const database = await freshPostgresDatabase();
      const logs: { level: LogLevel; msg: string }[] = [];
      const notifications: [string, string | undefined][] = [];
      const listener = createPostgresListener({
        config: { connectionString: database.url },
        channels: ["billing_invoices", "billing_refunds"],
        name: "billing listener",
        applicationName: "netscript-billing-listener",
        logger: createLogger({
          service: "billing-test",
          sink: (line, level) => logs.push({ level, msg: JSON.parse(line).msg }),
        }),
        onNotification: (channel, payload) => notifications.push([channel, payload]),
      });
      try {
        ok(await timed(listener.wait(10_000)) < 5_000, "the first wait returns once listening");
        await fn({ url: database.url, listener, notifications, logs });
      } finally {
        await listener.close();
        await database.drop();
      }
    },
  });
}

listenerTest(
  "a NOTIFY on any of its channels wakes a wait",
  async ({ url, listener, notifications }) => {
    for (const channel of ["billing_invoices", "billing_refunds"]) {
      const woken = timed(listener.wait(10_000));
      await sleep(50);
      await pgQuery(url, `NOTIFY ${channel}, 'inv-1'`);
      ok(await woken < 2_000, `${channel} woke the waiter`);
    }
    deepEqual(notifications, [["billing_invoices", "inv-1"], ["billing_refunds", "inv-1"]]);
  },
);

listenerTest(
  "a notification while nobody waits ends the next wait at once, once",
  async ({ url, listener }) => {
    await pgQuery(url, "NOTIFY billing_invoices");
    await sleep(200);
    ok(await timed(listener.wait(10_000)) < 100);
    ok(await timed(listener.wait(300)) >= 250);
  },
);

listenerTest(
  "a dropped connection is logged, replaced, and wakes its waiters",
  async ({ url, listener, logs }) => {
    const pending = timed(listener.wait(10_000));
    const [killed] = await pgQuery(
      url,
      `select pg_terminate_backend(pid) as killed from pg_stat_activity
     where datname = current_database() and application_name = 'netscript-billing-listener'`,
    );
    equal(killed?.killed, true);
    ok(await pending < 2_000, "the drop woke the waiter");
    ok(await timed(listener.wait(10_000)) < 2_000, "the next wait listens again");
    const woken = timed(listener.wait(10_000));
    await sleep(50);
    await pgQuery(url, "NOTIFY billing_refunds");
    ok(await woken < 2_000, "notifications arrive on the new connection");
    deepEqual(logs.map((log) => [log.level, log.msg]), [
      ["warn", "billing listener cannot listen; waits fall back to polling"],
      ["info", "billing listener reconnected"],
    ]);
  },
);

listenerTest("close() ends a pending wait and later waits return at once", async ({ listener }) => {
  const pending = timed(listener.wait(10_000));
  await listener.close();
  ok(await pending < 1_000);
  ok(await timed(listener.wait(10_000)) < 100);
});

Deno.test("a listener that cannot connect logs it once and its waits time out", async () => {
  const lines: Record<string, unknown>[] = [];
  const listener = createPostgresListener({
    config: { connectionString: "postgresql://app:hunter2@127.0.0.1:1/app" },
    channels: ["billing_invoices"],
    logger: createLogger({ service: "t", sink: (line) => lines.push(JSON.parse(line)) }),
    store: { dependency: "billing store" },
  });
  try {
    ok(await timed(listener.wait(300)) >= 250);
    await listener.wait(300);
    equal(lines.length, 1);
    equal(lines[0]!.msg, "listener cannot listen; waits fall back to polling");
    const error = lines[0]!.error as { code: string; message: string };
    equal(error.code, "STORE_UNAVAILABLE");
    ok(!JSON.stringify(lines[0]).includes("hunter2"));
  } finally {
    await listener.close();
  }
});

Deno.test("createPostgresListener() refuses channels LISTEN cannot take as they are", () => {
  for (const channels of [[], ["Billing"], ["billing jobs"], ["x;DROP TABLE t"]]) {
    throws(() => createPostgresListener({ config: {}, channels }), TypeError);
  }
});

Deno.test("describePostgresTarget() names host, port and database, never credentials", () => {
  equal(describePostgresTarget({ connectionString: "postgresql://a:b@db/app" }), "db:5432/app");
  equal(describePostgresTarget({ host: "h", port: 6543, database: "d" }), "h:6543/d");
  equal(describePostgresTarget({}), "localhost:5432/");
  equal(
    describePostgresTarget({ connectionString: "not a url" }),
    "the PostgreSQL server in the connection string",
  );
});
