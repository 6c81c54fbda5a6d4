/**
 * End to end: a workspace from `netscript init --link` gets the workers and
 * triggers plugins with `netscript plugin add`, declares a job, a GitHub
 * webhook and a cron trigger, and runs under `netscript dev`, on the
 * embedded defaults (SQLite and Deno KV) and on PostgreSQL (migrated with
 * `netscript db migrate`). A signed webhook is answered 202 and starts its
 * job; the same delivery again is a 200 duplicate; a tampered body is a
 * 401; a manual fire and a replay start the job again; the cron trigger's
 * ticks are dispatched; `GET /api/deliveries` lists them all. The webhook's
 * secret reaches `triggers-api` from `.env` because the service declares
 * `WEBHOOK_*`.
 */
import { callJson, type JsonBody, until } from "./support/polling.ts";
import { type PluginApp, readPanel, withPluginApp } from "./support/plugin_app.ts";
import { deepEqual, equal, ok } from "node:assert/strict";
import { signGitHubWebhook } from "@netscript/plugin-triggers-core";
import { freshPostgresDatabase, pgQuery, postgres } from "./support/databases.ts";
import { assertAvailable } from "./support/requirements.ts";

const SECRET = "s3cret";

const FILES: Record<string, string> = {
  "jobs/record_push.ts": `import { defineJob } from "@netscript/plugin-workers";
import { z } from "zod";

export default defineJob({
  name: "record-push",
  input: z.object({ sha: z.string().min(1) }),
  handler: ({ sha }, { logger }) => logger.info("push recorded", { sha }),
});
`,
  "jobs/record_tick.ts": `import { defineJob } from "@netscript/plugin-workers";
import { z } from "zod";

export default defineJob({
  name: "record-tick",
  input: z.object({ at: z.string() }),
  handler: () => {},
});
`,
  "triggers/github_push.ts": `import { defineWebhook, github } from "@netscript/plugin-triggers";
import { z } from "zod";
import recordPush from "../jobs/record_push.ts";

export default defineWebhook({
  name: "github-push",
  verify: github({ secretEnv: "WEBHOOK_GITHUB_SECRET" }),
  input: z.object({ after: z.string().min(1) }),
  dispatch: (event) => ({ job: recordPush, input: { sha: event.payload.after } }),
});
`,
  "triggers/every_second.ts": `import { defineCron } from "@netscript/plugin-triggers";
import recordTick from "../jobs/record_tick.ts";

export default defineCron({
  name: "every-second",
  cron: "* * * * * *",
  dispatch: (event) => ({ job: recordTick, input: { at: event.scheduledAt.toISOString() } }),
});
`,
};

/** A running triggers workspace. */
interface TriggersApp {
  t: Deno.TestContext;
  /** The base URL of `triggers-api`. */
  triggers: string;
  /** The base URL of `workers-api`. */
  workers: string;
  /** The running workspace. */
  app: PluginApp;
}

/** Waits for a delivery to be dispatched, then for the job it started to complete; returns the job. */
async function jobOfDelivery({ triggers, workers }: TriggersApp, deliveryId: string) {
  const delivery = await until(`delivery ${deliveryId} dispatched`, async () => {
    const { body } = await callJson(`${triggers}/api/deliveries/${deliveryId}`);
    return body.state === "dispatched" ? body : undefined;
  });
  equal(delivery.target.kind, "job");
  equal(delivery.target.name, "record-push");
  return await until(`job ${delivery.target.id} completed`, async () => {
    const { body } = await callJson(`${workers}/api/jobs/${delivery.target.id}`);
    return body.state === "completed" ? body : undefined;
  });
}

/**
 * Runs `steps` against a workspace with the workers and triggers plugins
 * under `netscript dev`, on PostgreSQL when given a database URL.
 */
function withTriggersApp(
  t: Deno.TestContext,
  databaseUrl: string | undefined,
  steps: (app: TriggersApp) => Promise<void>,
): Promise<void> {
  return withPluginApp(
    t,
    {
      plugins: ["workers", "triggers"],
      files: FILES,
      typeCheck: ["plugins/triggers", "triggers", "jobs"],
      processors: ["trigger-processor"],
      databaseUrl,
      env: [`WEBHOOK_GITHUB_SECRET=${SECRET}`],
    },
    (app) => steps({ t, triggers: app.url("triggers-api"), workers: app.url("workers-api"), app }),
  );
}

async function runsTheTriggers(app: TriggersApp): Promise<void> {
  const { t, triggers, workers } = app;
  const body = JSON.stringify({ ref: "refs/heads/main", after: "abc123" });
  const deliveryId = crypto.randomUUID();
  const hook = `${triggers}/hooks/github-push`;
  let first = "";

  await t.step("a signed GitHub webhook is answered 202 and its job runs", async () => {
    const headers = {
      "content-type": "application/json",
      "x-github-event": "push",
      ...await signGitHubWebhook({ secret: SECRET, body, deliveryId }),
    };
    const accepted = await callJson(hook, { method: "POST", headers, body });
    equal(accepted.status, 202, JSON.stringify(accepted.body));
    equal(accepted.body.duplicate, false);
    first = accepted.body.deliveryId;
    const job = await jobOfDelivery(app, first);
    deepEqual(job.input, { sha: "abc123" });

    const again = await callJson(hook, { method: "POST", headers, body });
    equal(again.status, 200, "the same delivery id is a duplicate");
    deepEqual(again.body, { deliveryId: first, duplicate: true });

    const tampered = await callJson(hook, {
      method: "POST",
      headers,
      body: body.replace("abc123", "evil99"),
    });
    equal(tampered.status, 401);
    equal(tampered.body.code, "TRIGGERS_SIGNATURE_INVALID");
    const pushes = await callJson(`${workers}/api/jobs?name=record-push`);
    equal(pushes.body.total, 1, "neither the duplicate nor the tampered body started a job");
  });

  await t.step("a manual fire and a replay start the job again", async () => {
    const fired = await callJson(`${triggers}/api/triggers/github-push/fire`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ payload: { after: "def456" } }),
    });
    equal(fired.status, 202, JSON.stringify(fired.body));
    deepEqual((await jobOfDelivery(app, fired.body.deliveryId)).input, { sha: "def456" });

    const replayed = await callJson(`${triggers}/api/deliveries/${first}/replay`, {
      method: "POST",
    });
    equal(replayed.status, 202, JSON.stringify(replayed.body));
    deepEqual((await jobOfDelivery(app, replayed.body.deliveryId)).input, { sha: "abc123" });
    const replay = await callJson(`${triggers}/api/deliveries/${replayed.body.deliveryId}`);
    equal(replay.body.source, "replay");
    equal(replay.body.replayOf, first);

    const completed = await callJson(`${workers}/api/jobs?name=record-push&state=completed`);
    equal(completed.body.total, 3);
  });

  await t.step("the cron trigger's ticks are dispatched", async () => {
    const ticks = await until("two dispatched ticks", async () => {
      const page = await callJson(
        `${triggers}/api/deliveries?trigger=every-second&state=dispatched`,
      );
      return page.body.total >= 2 ? page.body : undefined;
    });
    for (const tick of ticks.items) {
      equal(tick.source, "cron");
      equal(tick.target.name, "record-tick");
    }
    await until("a record-tick job completed", async () => {
      const page = await callJson(`${workers}/api/jobs?name=record-tick&state=completed`);
      return page.body.total >= 1 ? true : undefined;
    });
  });

  await t.step("GET /api/deliveries lists the webhook's deliveries and the ticks", async () => {
    const pushes = await callJson(`${triggers}/api/deliveries?trigger=github-push`);
    equal(pushes.body.total, 3);
    deepEqual(
      pushes.body.items.map((d: JsonBody) => d.source).sort(),
      ["manual", "replay", "webhook"],
    );
    ok(pushes.body.items.every((d: JsonBody) => d.state === "dispatched"));
    const all = await callJson(`${triggers}/api/deliveries?limit=100`);
    ok(all.body.total >= 5, JSON.stringify(all.body.total));
    const listed = await callJson(`${triggers}/api/triggers`);
    deepEqual(listed.body.items.map((i: JsonBody) => i.name).sort(), [
      "every-second",
      "github-push",
    ]);
  });

  await t.step("the dashboard's triggers panel lists the deliveries and the triggers", async () => {
    const page = await readPanel(app.app, "triggers");
    ok(page.includes("github-push"), "the webhook's deliveries are listed");
    ok(page.includes("every-second"), "the cron trigger is listed");
    ok(page.includes(">Replay</button>"), "a settled delivery can be replayed");
  });
}

Deno.test("the triggers plugin dispatches webhooks and cron ticks to jobs under netscript dev on the embedded stores", (t) =>
  withTriggersApp(t, undefined, runsTheTriggers));

Deno.test({
  name:
    "the triggers plugin dispatches webhooks and cron ticks to jobs under netscript dev on PostgreSQL",
  ignore: postgres.ignore,
  async fn(t) {
    assertAvailable(postgres, "postgres");
    const database = await freshPostgresDatabase();
    try {
      await withTriggersApp(t, database.url, async (app) => {
        await runsTheTriggers(app);
        await t.step("the deliveries and the jobs they started live in PostgreSQL", async () => {
          const rows = await pgQuery(
            database.url,
            "select source, count(*)::int as n from triggers_deliveries where trigger = 'github-push' group by source order by source",
          );
          deepEqual(rows, [
            { source: "manual", n: 1 },
            { source: "replay", n: 1 },
            { source: "webhook", n: 1 },
          ]);
          const jobs = await pgQuery(
            database.url,
            "select count(*)::int as n from workers_jobs where name = 'record-push'",
          );
          deepEqual(jobs, [{ n: 3 }]);
        });
      });
    } finally {
      await database.drop();
    }
  },
});
