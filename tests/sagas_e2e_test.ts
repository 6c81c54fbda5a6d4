/**
 * End to end: a workspace from `netscript init --link` gets the workers and
 * sagas plugins with `netscript plugin add`, declares a job under `jobs/`
 * and a saga under `sagas/` (three steps, a job started with
 * `ctx.enqueue`, a `ctx.waitForSignal`, a compensation), and runs under
 * `netscript dev` with no edit to the host, on the embedded defaults
 * (SQLite and Deno KV) and on PostgreSQL (migrated with
 * `netscript db migrate`). A saga started over HTTP waits for its signal,
 * completes once signalled, and its job runs; one whose step fails is
 * compensated; one cancelled while it waits is cancelled, its finished
 * step compensated.
 */
import { callJson, type JsonBody, until } from "./support/polling.ts";
import { type PluginApp, readPanel, withPluginApp } from "./support/plugin_app.ts";
import { deepEqual, equal, ok } from "node:assert/strict";
import { freshPostgresDatabase, pgQuery, postgres } from "./support/databases.ts";
import { assertAvailable } from "./support/requirements.ts";

const FILES: Record<string, string> = {
  "jobs/record_order.ts": `import { defineJob } from "@netscript/plugin-workers";
import { z } from "zod";

export default defineJob({
  name: "record-order",
  input: z.object({ orderId: z.string().min(1) }),
  handler: ({ orderId }, { logger }) => logger.info("order recorded", { orderId }),
});
`,
  "sagas/fulfil_order.ts": `import { defineSaga } from "@netscript/plugin-sagas";
import { z } from "zod";
import recordOrder from "../jobs/record_order.ts";

export default defineSaga({
  name: "fulfil-order",
  input: z.object({ orderId: z.string().min(1), decline: z.boolean().default(false) }),
  retry: { attempts: 1 },
  async run({ orderId, decline }, ctx) {
    const reserved = await ctx.step("reserve", () => ({ reservation: \`r-\${orderId}\` }), {
      compensate: (held, { logger }) => logger.info("reservation released", held),
    });
    const job = await ctx.enqueue(recordOrder, { orderId });
    await ctx.step("charge", () => {
      if (decline) throw new Error("card declined");
      return { charged: true };
    });
    const shipped = await ctx.waitForSignal("shipped", {
      schema: z.object({ tracking: z.string() }),
    });
    const notified = await ctx.step("notify", () => ({ tracking: shipped.tracking }));
    return { ...reserved, jobId: job.id, ...notified };
  },
});
`,
};

/** A running sagas workspace. */
interface SagasApp {
  t: Deno.TestContext;
  /** The base URL of `sagas-api`. */
  sagas: string;
  /** The base URL of `workers-api`. */
  workers: string;
  /** The running workspace. */
  app: PluginApp;
}

function post(url: string, body?: unknown): Promise<{ status: number; body: JsonBody }> {
  return callJson(url, {
    method: "POST",
    ...(body === undefined
      ? {}
      : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
  });
}

/** Waits for a saga to reach a state; returns it with its journal. */
function sagaIn(app: SagasApp, id: string, state: string): Promise<JsonBody> {
  return until(`saga ${id} ${state}`, async () => {
    const { body } = await callJson(`${app.sagas}/api/sagas/${id}`);
    return body.state === state ? body : undefined;
  });
}

/**
 * Runs `steps` against a workspace with the workers and sagas plugins under
 * `netscript dev`, on PostgreSQL when given a database URL.
 */
function withSagasApp(
  t: Deno.TestContext,
  databaseUrl: string | undefined,
  steps: (app: SagasApp) => Promise<void>,
): Promise<void> {
  return withPluginApp(t, {
    plugins: ["workers", "sagas"],
    files: FILES,
    typeCheck: ["plugins/sagas", "sagas", "jobs"],
    processors: ["saga-runner"],
    databaseUrl,
  }, (app) => steps({ t, sagas: app.url("sagas-api"), workers: app.url("workers-api"), app }));
}

async function runsTheSagas(app: SagasApp): Promise<void> {
  const { t, sagas, workers } = app;

  await t.step(
    "a saga started over HTTP waits for its signal, then completes; its job runs",
    async () => {
      const started = await post(`${sagas}/api/sagas`, {
        name: "fulfil-order",
        input: { orderId: "o-1" },
        id: "order-o-1",
      });
      equal(started.status, 200, JSON.stringify(started.body));
      deepEqual(started.body, { id: "order-o-1", state: "running", created: true });
      const again = await post(`${sagas}/api/sagas`, {
        name: "fulfil-order",
        input: { orderId: "o-1" },
        id: "order-o-1",
      });
      equal(again.body.created, false, "the same id is the same saga");

      const waiting = await sagaIn(app, "order-o-1", "waiting");
      deepEqual(
        waiting.steps.map((s: JsonBody) => [s.kind, s.name, s.state]),
        [
          ["step", "reserve", "completed"],
          ["job", "record-order", "completed"],
          ["step", "charge", "completed"],
          ["signal", "shipped", "waiting"],
        ],
      );
      const signalled = await post(`${sagas}/api/sagas/order-o-1/signals/shipped`, {
        payload: { tracking: "TRACK-1" },
      });
      equal(signalled.status, 202, JSON.stringify(signalled.body));

      const completed = await sagaIn(app, "order-o-1", "completed");
      equal(completed.output.reservation, "r-o-1");
      equal(completed.output.tracking, "TRACK-1");
      deepEqual(completed.steps.at(-1).name, "notify");
      deepEqual(completed.compensations, []);
      const job = await until(`job ${completed.output.jobId} completed`, async () => {
        const { body } = await callJson(`${workers}/api/jobs/${completed.output.jobId}`);
        return body.state === "completed" ? body : undefined;
      });
      deepEqual(job.input, { orderId: "o-1" });
      const jobs = await callJson(`${workers}/api/jobs?name=record-order`);
      equal(jobs.body.total, 1, "the job was started once");
    },
  );

  await t.step(
    "a saga whose step fails compensates what finished and ends compensated",
    async () => {
      const started = await post(`${sagas}/api/sagas`, {
        name: "fulfil-order",
        input: { orderId: "o-2", decline: true },
        id: "order-o-2",
      });
      equal(started.status, 200, JSON.stringify(started.body));
      const compensated = await sagaIn(app, "order-o-2", "compensated");
      ok(compensated.error.includes("card declined"), compensated.error);
      deepEqual(
        compensated.compensations.map((c: JsonBody) => [c.name, c.state]),
        [["reserve", "completed"]],
      );
    },
  );

  await t.step("a saga cancelled while it waits compensates and ends cancelled", async () => {
    await post(`${sagas}/api/sagas`, {
      name: "fulfil-order",
      input: { orderId: "o-3" },
      id: "order-o-3",
    });
    await sagaIn(app, "order-o-3", "waiting");
    const cancelled = await post(`${sagas}/api/sagas/order-o-3/cancel`);
    equal(cancelled.status, 200, JSON.stringify(cancelled.body));
    equal(cancelled.body.cancelRequested, true);
    const done = await sagaIn(app, "order-o-3", "cancelled");
    deepEqual(done.compensations.map((c: JsonBody) => [c.name, c.state]), [[
      "reserve",
      "completed",
    ]]);
    const late = await post(`${sagas}/api/sagas/order-o-3/signals/shipped`, {
      payload: { tracking: "late" },
    });
    equal(late.status, 409);
    equal(late.body.code, "SAGAS_FINISHED");
  });

  await t.step("GET /api/sagas, /api/stats and /api/definitions describe them", async () => {
    const list = await callJson(`${sagas}/api/sagas?name=fulfil-order`);
    equal(list.body.total, 3);
    const stats = await callJson(`${sagas}/api/stats`);
    equal(stats.body.completed, 1);
    equal(stats.body.compensated, 1);
    equal(stats.body.cancelled, 1);
    const definitions = await callJson(`${sagas}/api/definitions`);
    deepEqual(definitions.body.items, [{ name: "fulfil-order", version: 1, latest: true }]);
    const unknown = await post(`${sagas}/api/sagas`, { name: "nope", input: {} });
    equal(unknown.status, 404);
    equal(unknown.body.code, "SAGAS_UNKNOWN_SAGA");
  });

  await t.step("the dashboard's sagas panel lists them and opens one's step timeline", async () => {
    const page = await readPanel(app.app, "sagas");
    for (const id of ["order-o-1", "order-o-2", "order-o-3"]) ok(page.includes(id), id);
    const detail = /href="(\/panels\/sagas\/views\/\d+\/detail\?id=order-o-1)"/.exec(page);
    ok(detail, "a saga row links to its detail");
    const timeline = await (await fetch(`${app.app.dashboard}${detail[1]}`)).text();
    ok(!timeline.includes("notice error"), timeline);
    ok(timeline.includes("<tbody><tr>"), "the step timeline has rows");
  });
}

Deno.test("the sagas plugin runs a saga from sagas/ under netscript dev on the embedded stores", (t) =>
  withSagasApp(t, undefined, runsTheSagas));

Deno.test({
  name: "the sagas plugin runs a saga from sagas/ under netscript dev on PostgreSQL",
  ignore: postgres.ignore,
  async fn(t) {
    assertAvailable(postgres, "postgres");
    const database = await freshPostgresDatabase();
    try {
      await withSagasApp(t, database.url, async (app) => {
        await runsTheSagas(app);
        await t.step("the sagas and the job they started live in PostgreSQL", async () => {
          const rows = await pgQuery(
            database.url,
            "select id, state from sagas_runs order by id",
          );
          deepEqual(rows, [
            { id: "order-o-1", state: "completed" },
            { id: "order-o-2", state: "compensated" },
            { id: "order-o-3", state: "cancelled" },
          ]);
          const jobs = await pgQuery(
            database.url,
            "select count(*)::int as n from workers_jobs where name = 'record-order'",
          );
          ok((jobs[0]?.n as number) >= 1, JSON.stringify(jobs));
        });
      });
    } finally {
      await database.drop();
    }
  },
});
