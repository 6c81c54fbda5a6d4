import { deepEqual, equal, match, ok } from "node:assert/strict";
import { defineJob } from "@netscript/plugin-workers-core";
import { MemoryJobQueue } from "@netscript/plugin-workers-core/memory";
import { createPostgresJobQueue } from "@netscript/plugin-workers-core/postgres";
import { createLogger } from "@netscript/telemetry";
import { z } from "zod";
import type { Service } from "@netscript/service";
import { freshPostgresDatabase, postgres } from "../../../../tests/support/databases.ts";
import { assertAvailable } from "../../../../tests/support/requirements.ts";
import { createWorkersService } from "./workers_service.ts";

const email = defineJob({
  name: "send-email",
  input: z.object({ to: z.email(), subject: z.string().min(1) }),
  handler: () => {},
});

/** Calls a route of `service` under `/api` and reads the JSON answer. */
async function callApi(service: Service, method: string, path: string, body?: unknown) {
  const response = await service.fetch(
    new Request(`http://localhost/api${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
    }),
  );
  return { status: response.status, body: await response.json() };
}

function setup() {
  const queue = new MemoryJobQueue();
  const logger = createLogger({ service: "workers-test", sink: () => {} });
  const service = createWorkersService({ queue, jobs: [email], logger });
  const call = (method: string, path: string, body?: unknown) =>
    callApi(service, method, path, body);
  return { queue, call };
}

Deno.test("POST /api/jobs validates and enqueues; GET returns it", async () => {
  const { call } = setup();
  const created = await call("POST", "/jobs", {
    name: "send-email",
    input: { to: "ada@example.com", subject: "Hi" },
    priority: 5,
  });
  equal(created.status, 201);
  equal(created.body.deduplicated, false);
  const job = await call("GET", `/jobs/${created.body.id}`);
  equal(job.status, 200);
  equal(job.body.state, "queued");
  equal(job.body.priority, 5);
  deepEqual(job.body.input, { to: "ada@example.com", subject: "Hi" });
  const listed = await call("GET", "/jobs?state=queued&name=send-email&limit=5");
  equal(listed.body.total, 1);
  equal(listed.body.limit, 5);
  deepEqual((await call("GET", "/stats")).body.queued, 1);
});

Deno.test("invalid job input is a 400 with every issue, and nothing is enqueued", async () => {
  const { queue, call } = setup();
  const refused = await call("POST", "/jobs", { name: "send-email", input: { to: "nope" } });
  equal(refused.status, 400);
  equal(refused.body.code, "BAD_REQUEST");
  deepEqual(
    refused.body.data.issues.map((i: { path: string[] }) => i.path.join(".")).sort(),
    ["input.subject", "input.to"],
  );
  equal((await queue.list()).total, 0);
});

Deno.test("an unknown job name is a 422 UNKNOWN_JOB naming the known jobs", async () => {
  const { queue, call } = setup();
  const refused = await call("POST", "/jobs", { name: "send-sms", input: {} });
  equal(refused.status, 422);
  equal(refused.body.code, "UNKNOWN_JOB");
  deepEqual(refused.body.data, { job: "send-sms", known: ["send-email"] });
  equal((await queue.list()).total, 0);
});

Deno.test("cancel, retry and redrive follow the job's state", async () => {
  const { queue, call } = setup();
  const { id } = await queue.enqueue({ name: "send-email", input: {}, maxAttempts: 1 });
  const cancelled = await call("POST", `/jobs/${id}/cancel`);
  equal(cancelled.status, 200);
  equal(cancelled.body.state, "cancelled");
  const again = await call("POST", `/jobs/${id}/cancel`);
  equal(again.status, 409);
  match(again.body.message, /is cancelled/);
  equal((await call("POST", `/jobs/${id}/retry`)).body.state, "queued");
  equal((await call("POST", `/dead-letters/${id}/redrive`)).status, 409, "not dead");
  await queue.claim({ workerId: "w", limit: 1, leaseMs: 60_000, names: ["send-email"] });
  await queue.fail(id, "w", "smtp down", null);
  const dead = await call("GET", "/dead-letters");
  deepEqual(dead.body.items.map((j: { id: string }) => j.id), [id]);
  equal(dead.body.items[0].lastError, "smtp down");
  const redriven = await call("POST", `/dead-letters/${id}/redrive`);
  equal(redriven.status, 200);
  equal(redriven.body.state, "queued");
  equal(redriven.body.attempts, 0);
  equal((await call("GET", `/jobs/${crypto.randomUUID()}`)).status, 404);
});

Deno.test("the OpenAPI document describes every workers route", async () => {
  const queue = new MemoryJobQueue();
  const document = await createWorkersService({ queue, jobs: [email] }).openapi();
  const paths = Object.keys(document.paths ?? {}).sort();
  deepEqual(paths, [
    "/dead-letters",
    "/dead-letters/{id}/redrive",
    "/jobs",
    "/jobs/{id}",
    "/jobs/{id}/cancel",
    "/jobs/{id}/retry",
    "/stats",
  ]);
  ok(JSON.stringify(document).includes("UNKNOWN_JOB"));
});

Deno.test("a store that cannot be reached answers 503 SERVICE_UNAVAILABLE, never a bare 500", async () => {
  // Nothing listens on port 1: every store call fails to connect.
  const quiet = createLogger({ service: "workers-test", sink: () => {} });
  const queue = createPostgresJobQueue({
    url: "postgresql://postgres@127.0.0.1:1/none",
    logger: quiet,
  });
  const service = createWorkersService({ queue, jobs: [email], logger: quiet });
  try {
    for (
      const [method, path, body] of [
        ["GET", "/stats"],
        ["GET", "/jobs?limit=5"],
        ["POST", "/jobs", { name: "send-email", input: { to: "ada@example.com", subject: "Hi" } }],
        ["POST", `/jobs/${crypto.randomUUID()}/cancel`],
      ] as const
    ) {
      const { status, body: answer } = await callApi(service, method, path, body);
      equal(status, 503, `${method} ${path}`);
      equal(answer.code, "SERVICE_UNAVAILABLE");
      deepEqual(answer.data, { dependency: "job store" });
      ok(!JSON.stringify(answer).includes("127.0.0.1"), "the store's address is not sent");
    }
    equal((await service.fetch(new Request("http://localhost/health"))).status, 503);
  } finally {
    await queue.close();
  }
});

Deno.test("missing tables answer 503 naming the job store, and the log has SCHEMA_MISSING", {
  ignore: postgres.ignore,
}, async () => {
  assertAvailable(postgres, "postgres");
  const database = await freshPostgresDatabase();
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({
    service: "workers-api",
    sink: (line) => lines.push(JSON.parse(line)),
  });
  const queue = createPostgresJobQueue({ url: database.url, logger });
  const service = createWorkersService({ queue, jobs: [email], logger });
  try {
    const { status, body } = await callApi(service, "GET", "/stats");
    equal(status, 503);
    equal(body.code, "SERVICE_UNAVAILABLE");
    equal(body.message, "The job store is not set up yet; try again once its database is migrated");
    deepEqual(body.data, { dependency: "job store" });
    const failure = lines.find((line) => line.msg === "procedure failed");
    match(JSON.stringify(failure), /SCHEMA_MISSING/);
  } finally {
    await queue.close();
    await database.drop();
  }
});
