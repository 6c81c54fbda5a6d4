/**
 * End to end: a workspace from `netscript init --link` gets the streams
 * plugin with `netscript plugin add streams`, declares a topic with a JSON
 * Schema, generates its registry and runs under `netscript dev`, on Deno KV
 * and on PostgreSQL (migrated with `netscript db migrate`). Through the
 * running `streams-api`: `createDurableStream` appends and reads the topic
 * over HTTP (catch-up, resume from an offset, live), a message that breaks
 * the schema gets 422, `GET /api/topics` lists the topic with the plugin
 * that declares it, the dashboard's Streams panel shows the topic and its
 * latest messages, and `netscript config set streams` changes retention in
 * the running process. The Aspire AppHost includes `streams-api`.
 */
import { until } from "./support/polling.ts";
import { spawnDevJson } from "./support/dev_slot.ts";
import { deepEqual, equal, match, ok, rejects } from "node:assert/strict";
import { join } from "node:path";
import { z } from "zod";
import { isNetScriptError } from "@netscript/contracts/errors";
import { createDurableStream } from "@netscript/plugin-streams";
import type { StreamsCoreErrorCode } from "@netscript/plugin-streams-core";
import type { ResourceState } from "../cli/src/dev/run_resources.ts";
import { devReadyEvent, netscript, netscriptProcess, REPO_ROOT } from "./support/cli.ts";
import { freshPostgresDatabase, pgQuery, postgres } from "./support/databases.ts";
import { readPanel } from "./support/plugin_app.ts";
import { assertAvailable } from "./support/requirements.ts";

const ORDER_SCHEMA = {
  type: "object",
  required: ["id", "total"],
  additionalProperties: false,
  properties: { id: { type: "string", minLength: 1 }, total: { type: "number", minimum: 0 } },
};

const PLUGIN_TS = `import { defineStreamsPlugin } from "@netscript/plugin-streams";

export default defineStreamsPlugin({
  topics: [{ name: "orders", schemaPath: "./topics/orders.schema.json" }],
});
`;

const Order = z.object({ id: z.string(), total: z.number() });

/** A schema laxer than the topic's, so the server's own check is what refuses. */
const AnyOrder = z.object({ id: z.string(), total: z.number() }).loose();

/** A running streams workspace. */
interface StreamsApp {
  t: Deno.TestContext;
  root: string;
  /** The base URL of `streams-api`. */
  url: string;
  /** The base URL of the run's dashboard. */
  dashboard: string;
}

/**
 * Scaffolds a streams workspace, on PostgreSQL when given a database URL
 * (written to its `.env`) and on SQLite and Deno KV otherwise, runs it with
 * `netscript dev`, and runs `steps` against it.
 */
async function withStreamsApp(
  t: Deno.TestContext,
  databaseUrl: string | undefined,
  steps: (app: StreamsApp) => Promise<void>,
): Promise<void> {
  const db = databaseUrl === undefined ? "sqlite" : "postgres";
  const parent = await Deno.makeTempDir({ prefix: "netscript-streams-" });
  let dev: Deno.ChildProcess | undefined;
  try {
    const init = await netscript(
      ["init", "app", "--db", db, "--cache-backend", "deno-kv", "--no-aspire", "--link", REPO_ROOT],
      parent,
    );
    equal(init.code, 0, init.stderr);
    const root = join(parent, "app");

    await t.step("plugin add streams scaffolds the plugin from the checkout", async () => {
      const add = await netscript(["plugin", "add", "streams", "--json"], root);
      equal(add.code, 0, add.stderr);
      equal(JSON.parse(add.stdout).plugin, "streams");
      await Deno.writeTextFile(join(root, "plugins/streams/plugin.ts"), PLUGIN_TS);
      await Deno.mkdir(join(root, "plugins/streams/topics"));
      await Deno.writeTextFile(
        join(root, "plugins/streams/topics/orders.schema.json"),
        JSON.stringify(ORDER_SCHEMA, null, 2),
      );
    });

    await t.step("registry generate carries the topic and its schema", async () => {
      const generate = await netscript(["registry", "generate"], root);
      equal(generate.code, 0, generate.stderr);
      const definitions = await Deno.readTextFile(join(root, ".netscript/definitions/streams.ts"));
      match(definitions, /"streamTopics": \[\s*\{\s*"name": "orders"/);
    });

    if (databaseUrl === undefined) {
      // Once is enough: the plugin's files are the same on every store.
      await t.step("the scaffolded plugin type-checks", async () => {
        const check = await new Deno.Command(Deno.execPath(), {
          args: ["check", "--quiet", "--no-lock", "plugins/streams"],
          cwd: root,
        }).output();
        ok(check.success, new TextDecoder().decode(check.stderr));
      });
    } else {
      await Deno.writeTextFile(join(root, ".env"), `DATABASE_URL=${databaseUrl}\n`);
      await t.step("db migrate creates the streams tables", async () => {
        const migrate = await netscriptProcess(root, ["db", "migrate", "--name", "init"]);
        equal(migrate.code, 0, migrate.stderr);
      });
    }

    dev = await spawnDevJson(root);
    const stderr = new Response(dev.stderr).text();
    const ready = await devReadyEvent(dev, stderr, 90_000);
    const api = ready.resources.find((s) => s.name === "streams-api");
    equal(api?.state, "running", JSON.stringify(ready.resources));
    ok(ready.dashboard, "netscript dev serves its dashboard");
    await steps({
      t,
      root,
      url: `http://127.0.0.1:${api!.port}`,
      dashboard: ready.dashboard,
    });
    dev.kill("SIGINT");
    equal((await dev.status).code, 0, await stderr);
    dev = undefined;
  } finally {
    if (dev) {
      dev.kill("SIGKILL");
      await dev.status;
    }
    await Deno.remove(parent, { recursive: true });
  }
}

async function appendsAndReads({ t, url }: StreamsApp): Promise<void> {
  const orders = createDurableStream({ topic: "orders", schema: Order, url });
  let tail = "";

  await t.step("createDurableStream appends to the topic and reads it back", async () => {
    const first = await orders.append({ id: "o-1", total: 12.5 });
    await orders.append({ id: "o-2", total: 3 });
    await orders.append({ id: "o-3", total: 0 });
    const batches = [];
    for await (const batch of orders.read()) batches.push(batch);
    deepEqual(batches.flatMap((b) => b.messages).map((m) => m.id), ["o-1", "o-2", "o-3"]);
    equal(batches.at(-1)?.upToDate, true);
    tail = batches.at(-1)!.offset;

    const resumed = [];
    for await (const batch of orders.read({ from: first.offset })) resumed.push(...batch.messages);
    deepEqual(resumed.map((m) => m.id), ["o-2", "o-3"], "a read resumes after the offset");
  });

  await t.step("a live read gets a message appended while it waits", async () => {
    const controller = new AbortController();
    const reader = createDurableStream({
      topic: "orders",
      schema: Order,
      url,
      signal: controller.signal,
    });
    try {
      const seen = (async () => {
        for await (const batch of reader.read({ from: tail, live: true })) {
          if (batch.messages.length > 0) return batch.messages;
        }
        return [];
      })();
      await orders.append({ id: "o-live", total: 1 });
      deepEqual((await seen).map((m) => m.id), ["o-live"]);
    } finally {
      controller.abort();
    }
  });
}

async function refusesBadMessages({ t, url }: StreamsApp): Promise<void> {
  await t.step("a message that breaks the topic's schema gets 422 and is not written", async () => {
    const response = await fetch(`${url}/v1/stream/orders`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ id: "o-bad", total: -1 }),
    });
    equal(response.status, 422);
    const body = await response.json();
    equal(body.code, "STREAMS_INVALID_MESSAGE");
    match(body.message, /total/);

    const lax = createDurableStream({ topic: "orders", schema: AnyOrder, url });
    await rejects(
      lax.append({ id: "o-extra", total: 1, coupon: "FREE" }),
      (error) =>
        isNetScriptError<StreamsCoreErrorCode>(error, "STREAMS_INVALID_MESSAGE") &&
        error.details?.status === 422,
    );
    const ids = [];
    for await (const batch of lax.read()) ids.push(...batch.messages.map((m) => m.id));
    ok(!ids.includes("o-bad") && !ids.includes("o-extra"), JSON.stringify(ids));
  });
}

async function listsTopics({ t, url }: StreamsApp): Promise<void> {
  await t.step("GET /api/topics lists the topic with the plugin that declares it", async () => {
    const page = await (await fetch(`${url}/api/topics`)).json();
    const orders = page.items.find((item: { name: string }) => item.name === "orders");
    equal(orders?.declaredBy, "@netscript/plugin-streams");
    equal(orders?.contentType, "application/json");
    equal(orders?.appends, 4, "three appends and the live one; the refused ones wrote nothing");
    const one = await fetch(`${url}/api/topics/orders`);
    equal(one.status, 200);
    const missing = await fetch(`${url}/api/topics/nope`);
    equal(missing.status, 404);
    equal((await missing.json()).code, "NOT_FOUND");
  });
}

async function showsTheTopicOnTheDashboard({ t, dashboard }: StreamsApp): Promise<void> {
  await t.step(
    "the dashboard's streams panel lists the topic and its latest messages",
    async () => {
      const page = await readPanel({ dashboard }, "streams");
      ok(page.includes("orders"), "the Topics table lists the topic");
      const detail = /href="(\/panels\/streams\/views\/0\/detail\?name=orders)"/.exec(page);
      ok(detail, "the topic's row links to its detail");
      const response = await fetch(`${dashboard}${detail[1]}`);
      const tail = await response.text();
      equal(response.status, 200, tail);
      ok(!tail.includes('<p class="notice error"'), tail);
      ok(tail.includes("o-live"), "the detail shows the newest append's preview");
    },
  );
}

async function configuresRetention({ t, root, url }: StreamsApp): Promise<void> {
  await t.step("config set streams is accepted, and a bad value refused", async () => {
    const set = await netscript(
      ["config", "set", "streams", "--value", '{"retention":{"maxAgeSeconds":3600}}'],
      root,
    );
    equal(set.code, 0, set.stderr);
    const bad = await netscript(
      ["config", "set", "streams", "--value", '{"retention":{"maxAgeSeconds":0}}'],
      root,
    );
    equal(bad.code, 1);
    match(bad.stderr, /CONFIG_VALUE_INVALID.*maxAgeSeconds/);
    const get = JSON.parse((await netscript(["config", "get", "streams", "--json"], root)).stdout);
    deepEqual(get.value, { retention: { maxAgeSeconds: 3600 } });
  });

  await t.step("the running streams-api applies a new retention without a restart", async () => {
    const before = await (await fetch(`${url}/api/topics/orders`)).json();
    equal(before.firstOffset, "0000000000000000_0000000000000000");
    const set = await netscript(
      ["config", "set", "streams", "--value", '{"retention":{"maxBytes":1,"intervalSeconds":1}}'],
      root,
    );
    equal(set.code, 0, set.stderr);
    const after = await until("retention to trim the topic", async () => {
      const topic = await (await fetch(`${url}/api/topics/orders`)).json();
      return topic.appends === 0 ? topic : undefined;
    });
    equal(after.bytes, 0);
    equal(after.nextOffset, before.nextOffset, "the offsets go on");
    equal(after.firstOffset, before.nextOffset);
    const orders = createDurableStream({ topic: "orders", schema: Order, url });
    const kept = [];
    for await (const batch of orders.read()) kept.push(...batch.messages);
    deepEqual(kept, [], "a read from the start begins at the oldest data left");
    await rejects(
      orders.read({ from: before.firstOffset }).next(),
      (error) => isNetScriptError<StreamsCoreErrorCode>(error, "STREAMS_OFFSET_GONE"),
    );
    const state = JSON.parse(await Deno.readTextFile(join(root, ".netscript/dev/state.json")));
    const api = state.resources.find((r: ResourceState) => r.name === "streams-api");
    equal(api?.restarts, 0, "streams-api was not restarted");
  });
}

async function runsTheTopic(app: StreamsApp): Promise<void> {
  await appendsAndReads(app);
  await refusesBadMessages(app);
  await listsTopics(app);
  await showsTheTopicOnTheDashboard(app);
  await configuresRetention(app);
}

Deno.test("the streams plugin serves a declared topic under netscript dev on Deno KV", (t) =>
  withStreamsApp(t, undefined, async (app) => {
    await runsTheTopic(app);
    await t.step("the Aspire AppHost runs streams-api", async () => {
      const generate = await netscript(["aspire", "generate"], app.root);
      equal(generate.code, 0, generate.stderr);
      const apphost = await Deno.readTextFile(join(app.root, "aspire", "apphost.mts"));
      match(apphost, /\.addExecutable\("streams-api", "deno", ROOT, \[/);
      match(apphost, /"plugins\/streams\/services\/src\/main\.ts"/);
      match(apphost, /port: 8095/);
      match(
        apphost,
        /"STREAMS_STORE","STREAMS_KV_PATH","STREAMS_LOG_LEVEL","STREAMS_LONG_POLL_MS"/,
      );
    });
  }));

Deno.test({
  name: "the streams plugin serves a declared topic under netscript dev on PostgreSQL",
  ignore: postgres.ignore,
  async fn(t) {
    assertAvailable(postgres, "postgres");
    const database = await freshPostgresDatabase();
    try {
      await withStreamsApp(t, database.url, async (app) => {
        await runsTheTopic(app);
        await t.step("the topic lives in PostgreSQL", async () => {
          const rows = await pgQuery(database.url, "select path from streams_streams");
          deepEqual(rows, [{ path: "/v1/stream/orders" }]);
        });
      });
    } finally {
      await database.drop();
    }
  },
});
