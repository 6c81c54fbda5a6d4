/**
 * End to end: a workspace from `netscript init --plugins workers --link` on
 * PostgreSQL, migrated with `netscript db migrate`, run with
 * `netscript dev`: jobs enqueued through `workers-api` run in the worker
 * processes, failures retry into the dead letters and redrive, schedules fire
 * once per tick across three scheduler processes, and a killed worker is
 * restarted while `workers-api` keeps answering.
 */
import { until } from "./support/polling.ts";
import { spawnDevJson } from "./support/dev_slot.ts";
import { deepEqual, equal, ok } from "node:assert/strict";
import { join } from "node:path";
import type { ResourceState } from "../cli/src/dev/run_resources.ts";
import { devReady, netscript, netscriptProcess, REPO_ROOT } from "./support/cli.ts";
import { Redis } from "ioredis";
import { freshPostgresDatabase, freshRedisDatabase, postgres, redis } from "./support/databases.ts";
import { assertAvailable } from "./support/requirements.ts";

const JOBS: Record<string, string> = {
  "jobs/greet.ts": `import { defineJob } from "@netscript/plugin-workers";
import { z } from "zod";

export default defineJob({
  name: "greet",
  input: z.object({ name: z.string().min(1) }),
  handler: ({ name }, { logger }) => logger.info("hello", { name }),
});
`,
  "jobs/flaky.ts": `import { defineJob } from "@netscript/plugin-workers";
import { z } from "zod";

export default defineJob({
  name: "flaky",
  input: z.object({}),
  retry: { attempts: 2, backoff: "fixed", delay: 50 },
  handler: () => {
    throw new Error("the mail server is down");
  },
});
`,
  "jobs/serial.ts": `import { defineJob } from "@netscript/plugin-workers";
import { z } from "zod";

export default defineJob({
  name: "serial",
  input: z.number(),
  concurrency: 1,
  handler: () => new Promise((resolve) => setTimeout(resolve, 250)),
});
`,
  "jobs/slow.ts": `import { defineJob } from "@netscript/plugin-workers";
import { z } from "zod";

export default defineJob({
  name: "slow",
  input: z.number(),
  handler: () => new Promise((resolve) => setTimeout(resolve, 300)),
});
`,
  "schedules/every_second.ts": `import { defineSchedule } from "@netscript/plugin-workers";
import greet from "../jobs/greet.ts";

export default defineSchedule({ name: "every-second", cron: "* * * * * *", job: greet, input: { name: "cron" } });
`,
};

async function readState(root: string): Promise<ResourceState[]> {
  try {
    return JSON.parse(await Deno.readTextFile(join(root, ".netscript/dev/state.json"))).resources;
  } catch {
    return [];
  }
}

/** Scaffolds a workers workspace on `db`, runs it with `netscript dev`, and runs `steps` against it. */
async function withWorkersApp(
  t: Deno.TestContext,
  db: "postgres" | "sqlite",
  env: Record<string, string>,
  steps: (app: WorkersApp) => Promise<void>,
  { devFlags = [], cache = "deno-kv" }: { devFlags?: string[]; cache?: "deno-kv" | "redis" } = {},
): Promise<void> {
  const parent = await Deno.makeTempDir({ prefix: "netscript-workers-" });
  let dev: Deno.ChildProcess | undefined;
  try {
    const init = await netscript(
      [
        "init",
        "app",
        "--db",
        db,
        "--cache-backend",
        cache,
        "--no-aspire",
        "--plugins",
        "workers",
        "--link",
        REPO_ROOT,
      ],
      parent,
    );
    equal(init.code, 0, init.stderr);
    const root = join(parent, "app");
    for (const [path, text] of Object.entries(JOBS)) {
      await Deno.mkdir(join(root, path, ".."), { recursive: true });
      await Deno.writeTextFile(join(root, path), text);
    }
    if (db === "postgres") {
      const migrate = await netscriptProcess(root, ["db", "migrate", "--name", "init"], env);
      equal(migrate.code, 0, migrate.stderr);
    }
    dev = await spawnDevJson(root, devFlags, env);
    const stderr = new Response(dev.stderr).text();
    const states = await devReady(dev, stderr, 90_000);
    const processes = states.filter((s) => s.kind !== "store");
    ok(
      processes.length === 5 && processes.every((s) => s.state === "running"),
      `every process runs: ${JSON.stringify(states)}`,
    );
    const api = `http://127.0.0.1:${states.find((s) => s.name === "workers-api")!.port}/api`;
    const post = async (path: string, body?: unknown) => {
      const response = await fetch(`${api}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: response.status, body: await response.json() };
    };
    const get = async (path: string) => await (await fetch(`${api}${path}`)).json();
    await steps({ t, root, api, post, get });
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

/** A `workers-api` answer, read loosely: each test looks at the fields it expects. */
interface ApiBody {
  [key: string]: unknown;
  id: string;
  state: string;
  attempts: number;
  total: number;
  lastError: string;
  code: string;
  items: { id: string }[];
  data: { issues: { path: string[] }[] };
}

/** A running workers workspace. */
interface WorkersApp {
  t: Deno.TestContext;
  root: string;
  api: string;
  post(path: string, body?: unknown): Promise<{ status: number; body: ApiBody }>;
  get(path: string): Promise<ApiBody>;
}

async function enqueueRuns({ t, post, get }: WorkersApp): Promise<void> {
  await t.step("an enqueued job runs in a worker process", async () => {
    const { status, body } = await post("/jobs", { name: "greet", input: { name: "Ada" } });
    equal(status, 201);
    const job = await until("the job completed", async () => {
      const job = await get(`/jobs/${body.id}`);
      return job.state === "completed" ? job : undefined;
    });
    equal(job.attempts, 1);
  });
}

async function kindLimitHolds({ t, post, get }: WorkersApp): Promise<void> {
  await t.step("a job's concurrency holds across the worker processes", async () => {
    for (let i = 0; i < 6; i++) {
      equal((await post("/jobs", { name: "serial", input: i })).status, 201);
    }
    let most = 0;
    await until("every serial job completed", async () => {
      most = Math.max(most, (await get("/jobs?name=serial&state=running")).total);
      return (await get("/jobs?name=serial&state=completed")).total === 6 ? true : undefined;
    });
    equal(most, 1, "one at a time, though two processes each had room for two");
  });
}

async function configLimitsWorkers({ t, root, post, get }: WorkersApp): Promise<void> {
  await t.step(
    "netscript config set workers changes the running workers' concurrency",
    async () => {
      const set = await netscriptProcess(root, [
        "config",
        "set",
        "workers",
        "--value",
        '{"concurrency":1}',
      ]);
      equal(set.code, 0, set.stderr);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      for (let i = 0; i < 8; i++) {
        equal(
          (await post("/jobs", { name: "slow", input: i })).status,
          201,
        );
      }
      let most = 0;
      await until("every slow job completed", async () => {
        most = Math.max(most, (await get("/jobs?name=slow&state=running")).total);
        return (await get("/jobs?name=slow&state=completed")).total === 8 ? true : undefined;
      });
      ok(most <= 2, `one job at a time in each of the two worker processes, not two (${most})`);
      const bad = await netscriptProcess(root, [
        "config",
        "set",
        "workers",
        "--value",
        '{"concurrency":0}',
      ]);
      equal(bad.code, 1);
      ok(bad.stderr.includes("CONFIG_VALUE_INVALID"), bad.stderr);
    },
  );
}

async function schedulesFireOnce({ t, get }: WorkersApp): Promise<void> {
  await t.step("three scheduler processes fire each tick once", async () => {
    const count = async () => (await get("/jobs?name=greet&limit=100")).total;
    const before = await count();
    const started = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    const seconds = (Date.now() - started) / 1000;
    const fired = (await count()) - before;
    ok(fired >= 2, `the schedule fired (${fired} in ${seconds.toFixed(1)} s)`);
    ok(fired <= Math.ceil(seconds) + 1, `once per tick, not per scheduler (${fired})`);
  });
}

Deno.test("the workers plugin runs jobs and schedules under netscript dev on Deno KV", (t) =>
  withWorkersApp(t, "sqlite", {}, async (app) => {
    await enqueueRuns(app);
    await kindLimitHolds(app);
    await configLimitsWorkers(app);
    await schedulesFireOnce(app);
    await app.t.step("with --watch, a new file under jobs/ is picked up", async () => {
      await Deno.writeTextFile(
        join(app.root, "jobs/shout.ts"),
        JOBS["jobs/greet.ts"]!.replace('name: "greet"', 'name: "shout"'),
      );
      const { id } = await until("the new job accepted", async () => {
        const { status, body } = await app.post("/jobs", { name: "shout", input: { name: "Ada" } });
        return status === 201 ? body : undefined;
      });
      await until("the new job completed", async () => {
        const job = await app.get(`/jobs/${id}`);
        return job.state === "completed" ? job : undefined;
      });
    });
  }, { devFlags: ["--watch"] }));

Deno.test({
  name: "the workers plugin runs jobs and schedules under netscript dev on Redis",
  ignore: redis.ignore,
  async fn(t) {
    assertAvailable(redis, "redis");
    const database = await freshRedisDatabase();
    try {
      await withWorkersApp(
        t,
        "sqlite",
        { CACHE_URI: database.url, WORKERS_STORE: "redis" },
        async (app) => {
          await enqueueRuns(app);
          await kindLimitHolds(app);
          await schedulesFireOnce(app);
          await app.t.step("the jobs are kept in the workspace's Redis", async () => {
            const { body } = await app.post("/jobs", { name: "greet", input: { name: "Redis" } });
            const client = new Redis(database.url);
            try {
              equal(await client.exists(`workers:job:${body.id}`), 1);
            } finally {
              await client.quit();
            }
          });
        },
        { cache: "redis" },
      );
    } finally {
      await database.drop();
    }
  },
});

Deno.test({
  name: "the workers plugin runs jobs and schedules under netscript dev on PostgreSQL",
  ignore: postgres.ignore,
  async fn(t) {
    assertAvailable(postgres, "postgres");
    const database = await freshPostgresDatabase();
    try {
      await withWorkersApp(t, "postgres", { DATABASE_URL: database.url }, async (app) => {
        const { t, root, api, post, get } = app;
        await enqueueRuns(app);
        await kindLimitHolds(app);

        await t.step("bad input and unknown names are refused", async () => {
          const invalid = await post("/jobs", { name: "greet", input: { name: "" } });
          equal(invalid.status, 400);
          deepEqual(
            invalid.body.data.issues.map((i) => i.path),
            [["input", "name"]],
          );
          const unknown = await post("/jobs", { name: "nope", input: {} });
          equal(unknown.status, 422);
          equal(unknown.body.code, "UNKNOWN_JOB");
        });

        await t.step("a failing job retries, dies, and can be redriven", async () => {
          const { body } = await post("/jobs", { name: "flaky", input: {} });
          const dead = await until("the job dead", async () => {
            const job = await get(`/jobs/${body.id}`);
            return job.state === "dead" ? job : undefined;
          });
          equal(dead.attempts, 2);
          equal(dead.lastError, "the mail server is down");
          const letters = await get("/dead-letters");
          ok(letters.items.some((j) => j.id === body.id));
          const redriven = await post(`/dead-letters/${body.id}/redrive`);
          equal(redriven.status, 200);
          // A worker may already have claimed it again by the time it is read back, and,
          // on PostgreSQL's immediate wake-ups, even failed that first fresh attempt.
          ok(
            (redriven.body.state === "queued" && redriven.body.attempts === 0) ||
              (["running", "failed"].includes(redriven.body.state) &&
                redriven.body.attempts === 1),
            `fresh attempts after the redrive: ${redriven.body.state}, ${redriven.body.attempts}`,
          );
          const again = await until("the redriven job dead again", async () => {
            const job = await get(`/jobs/${body.id}`);
            return job.state === "dead" && job.updatedAt !== dead.updatedAt ? job : undefined;
          });
          equal(again.attempts, 2, "it ran its two attempts again");
        });

        await schedulesFireOnce(app);

        await t.step("a killed worker restarts while workers-api keeps answering", async () => {
          const worker = (await readState(root)).find((s) => s.name === "workers-worker")!;
          let failures = 0;
          let answered = 0;
          let polling = true;
          const poll = (async () => {
            while (polling) {
              const response = await fetch(`${api}/stats`).catch(() => undefined);
              if (response?.status === 200) answered++;
              else failures++;
              await response?.body?.cancel();
            }
          })();
          Deno.kill(worker.pid!, "SIGKILL");
          await until("the worker restarted", async () => {
            const state = (await readState(root)).find((s) => s.name === "workers-worker");
            return state?.state === "running" && state.restarts === 1 ? state : undefined;
          });
          polling = false;
          await poll;
          equal(failures, 0);
          ok(answered > 0);
          const { body } = await post("/jobs", { name: "greet", input: { name: "after" } });
          await until("a job after the restart completed", async () => {
            const job = await get(`/jobs/${body.id}`);
            return job.state === "completed" ? job : undefined;
          });
        });
      });
    } finally {
      await database.drop();
    }
  },
});
