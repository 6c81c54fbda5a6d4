import { deepEqual, equal, fail, ok } from "node:assert/strict";
import fc from "fast-check";
import {
  defineJob,
  MAX_PRIORITY,
  MAX_RUN_AT,
  MAX_UNIQUE_KEY_LENGTH,
  MIN_PRIORITY,
  MIN_RUN_AT,
} from "@netscript/plugin-workers-core";
import { openKvJobQueue } from "@netscript/plugin-workers-core/kv";
import { MemoryJobQueue } from "@netscript/plugin-workers-core/memory";
import { createPostgresJobQueue } from "@netscript/plugin-workers-core/postgres";
import { createLogger } from "@netscript/telemetry";
import { z } from "zod";
import type { Service } from "@netscript/service";
import { freshWorkersDatabase } from "../../../workers-core/src/adapters/postgres/testdata/workers_database.ts";
import { postgres } from "../../../../tests/support/databases.ts";
import { assertAvailable } from "../../../../tests/support/requirements.ts";
import { createWorkersService } from "./workers_service.ts";

/** A job that takes any input, so generated inputs reach the store. */
const anything = defineJob({ name: "anything", input: z.unknown(), handler: () => {} });
/** A job with a schema, so generated inputs are also refused by it. */
const email = defineJob({
  name: "send-email",
  input: z.object({ to: z.email(), subject: z.string() }),
  handler: () => {},
});

/** How many generated requests the property sends to workers-api on PostgreSQL. */
const RUNS = 2_000;

interface Call {
  method: "GET" | "POST";
  /** The path; `{stored}` stands for the id of a job stored earlier in the run. */
  path: string;
  body?: unknown;
  /** Which stored job `{stored}` is, modulo their number. */
  pick?: number;
}

async function send(service: Service, call: Call) {
  const response = await service.fetch(
    new Request(`http://localhost/api${call.path}`, {
      method: call.method,
      ...(call.body === undefined
        ? {}
        : { body: JSON.stringify(call.body), headers: { "content-type": "application/json" } }),
    }),
  );
  return { status: response.status, body: await response.json() };
}

/** A path segment or query value from any string, lone surrogates made well-formed for the URL. */
const segment = (text: string) => encodeURIComponent(text.toWellFormed());

/** Strings of any UTF-16 code units, NUL and lone surrogates often. */
const anyText = (maxLength: number) =>
  fc.string({
    maxLength,
    unit: fc.oneof(
      fc.constantFrom("\u0000", "\uD800", "\uDFFF", "é", "\u{1F600}", "'", '"', "\\", "%"),
      fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)),
      fc.string({ minLength: 1, maxLength: 1, unit: "grapheme-ascii" }),
    ),
  });

/** Mostly what a store keeps, sometimes anything: so most requests reach the store. */
const mostly = <T, U>(valid: fc.Arbitrary<T>, anything: fc.Arbitrary<U>) =>
  fc.oneof({ arbitrary: valid, weight: 4 }, { arbitrary: anything, weight: 1 });

const text = (maxLength: number) =>
  mostly(fc.string({ maxLength, unit: "binary" }), anyText(maxLength));

const jsonInput: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    text(20),
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(text(8), tie("value"), { maxKeys: 4 }),
  ),
})).value;

const priority = mostly(
  fc.integer({ min: MIN_PRIORITY, max: MAX_PRIORITY }),
  fc.oneof(
    fc.maxSafeInteger(),
    fc.double(),
    fc.constantFrom(MAX_PRIORITY + 1, MIN_PRIORITY - 1, 2 ** 53),
  ),
);

const runAt = mostly(
  fc.date({ min: MIN_RUN_AT, max: MAX_RUN_AT, noInvalidDate: true }).map((date) =>
    date.toISOString()
  ),
  fc.oneof(
    fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true })
      .map((date) => date.toISOString()),
    fc.constantFrom("0000-01-01T00:00:00.000Z", "2024-02-30T00:00:00Z"),
    anyText(30),
  ),
);

const uniqueKey = mostly(
  fc.oneof(
    fc.string({ minLength: 1, maxLength: 40, unit: "binary" }),
    fc.string({
      minLength: MAX_UNIQUE_KEY_LENGTH,
      maxLength: MAX_UNIQUE_KEY_LENGTH,
      unit: "binary",
    }),
  ),
  fc.oneof(
    anyText(40),
    fc.integer({ min: MAX_UNIQUE_KEY_LENGTH + 1, max: 3_000 }).map((n) => "k".repeat(n)),
  ),
);

const enqueue: fc.Arbitrary<Call> = fc.record({
  name: mostly(fc.constantFrom("anything", "anything", "send-email"), anyText(30)),
  input: jsonInput,
  runAt,
  priority,
  uniqueKey,
}, { requiredKeys: ["name"] }).map((body) => ({ method: "POST", path: "/jobs", body }));

const list: fc.Arbitrary<Call> = fc.record({
  state: mostly(fc.constantFrom("queued", "dead", "scheduled", "failed"), anyText(10)),
  name: mostly(fc.constantFrom("anything", "send-email"), anyText(30)),
  limit: mostly(
    fc.integer({ min: 1, max: 100 }),
    fc.oneof(fc.integer(), fc.constantFrom("1e3", "x")),
  ),
  offset: mostly(
    fc.integer({ min: 0, max: 1_000 }),
    fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.constantFrom("1.5", "9".repeat(30))),
  ),
}, { requiredKeys: [] }).chain((query) =>
  fc.constantFrom("/jobs", "/dead-letters").map((path): Call => ({
    method: "GET",
    path: `${path}?${
      Object.entries(query).map(([key, value]) => `${key}=${segment(String(value))}`).join("&")
    }`,
  }))
);

const byId: fc.Arbitrary<Call> = fc.tuple(
  fc.oneof(
    { arbitrary: fc.constant("{stored}"), weight: 2 },
    fc.uuid(),
    anyText(40).filter((id) => id.toWellFormed().trim() !== ""),
  ),
  fc.constantFrom(
    ["GET", "/jobs/{id}"],
    ["POST", "/jobs/{id}/cancel"],
    ["POST", "/jobs/{id}/retry"],
    ["POST", "/dead-letters/{id}/redrive"],
  ),
).map(([id, [method, path]]) => ({
  method: method as Call["method"],
  path: path.replace("{id}", id === "{stored}" ? id : segment(id)),
})).chain((call) => fc.nat().map((pick) => ({ ...call, pick })));

Deno.test("workers-api on PostgreSQL answers every generated request without a 5xx", {
  ignore: postgres.ignore,
}, async () => {
  assertAvailable(postgres, "postgres");
  const database = await freshWorkersDatabase();
  const lines: string[] = [];
  const logger = createLogger({ service: "workers-api", sink: (line) => lines.push(line) });
  const queue = createPostgresJobQueue({ url: database.url, logger });
  const service = createWorkersService({ queue, jobs: [anything, email], logger });
  const stored: string[] = [];
  try {
    await fc.assert(
      fc.asyncProperty(fc.oneof(enqueue, enqueue, list, byId), async (generated) => {
        lines.length = 0;
        const call = stored.length === 0 ? generated : {
          ...generated,
          path: generated.path.replace("{stored}", stored[(generated.pick ?? 0) % stored.length]!),
        };
        const { status, body } = await send(service, call);
        if (status >= 500) {
          fail(`${call.method} ${call.path} answered ${status}: ${JSON.stringify(body)}\n${lines}`);
        }
        if (call.path === "/jobs" && call.method === "POST" && status === 201) {
          stored.push(body.id);
          equal((await send(service, { method: "GET", path: `/jobs/${body.id}` })).status, 200);
        }
      }),
      { numRuns: RUNS },
    );
    ok(stored.length > 0, "some generated jobs were stored");
  } finally {
    await queue.close();
    await database.drop();
  }
});

Deno.test("workers-api refuses input the job store cannot keep with a 400 naming the field", async (t) => {
  const queue = new MemoryJobQueue();
  const logger = createLogger({ service: "workers-test", sink: () => {} });
  const service = createWorkersService({ queue, jobs: [anything], logger });
  const cases: [string, Call, string][] = [
    ["a priority beyond 32 bits", {
      method: "POST",
      path: "/jobs",
      body: { name: "anything", input: 1, priority: 2_147_483_648 },
    }, "priority"],
    ["a NUL in the input", {
      method: "POST",
      path: "/jobs",
      body: { name: "anything", input: { note: "a\u0000b" } },
    }, "input.note"],
    ["a lone surrogate in the input", {
      method: "POST",
      path: "/jobs",
      body: { name: "anything", input: ["\uD800"] },
    }, "input.0"],
    ["a 3 KB uniqueKey", {
      method: "POST",
      path: "/jobs",
      body: { name: "anything", input: 1, uniqueKey: "k".repeat(3_000) },
    }, "uniqueKey"],
    ["a NUL in the uniqueKey", {
      method: "POST",
      path: "/jobs",
      body: { name: "anything", input: 1, uniqueKey: "a\u0000" },
    }, "uniqueKey"],
    ["a runAt in year 0", {
      method: "POST",
      path: "/jobs",
      body: { name: "anything", input: 1, runAt: "0000-06-01T00:00:00.000Z" },
    }, "runAt"],
    ["a NUL in the name filter", { method: "GET", path: "/jobs?name=a%00b" }, "name"],
  ];
  for (const [what, call, field] of cases) {
    await t.step(what, async () => {
      const { status, body } = await send(service, call);
      equal(status, 400, JSON.stringify(body));
      equal(body.code, "BAD_REQUEST");
      deepEqual(
        body.data.issues.map((issue: { path: (string | number)[] }) => issue.path.join(".")),
        [field],
      );
    });
  }
  equal((await queue.list()).total, 0, "nothing was enqueued");
});

Deno.test("workers-api on Deno KV refuses an input too large for one KV value with a 400, and stores nothing", async () => {
  const dir = await Deno.makeTempDir({ prefix: "netscript-kv-large-" });
  const queue = await openKvJobQueue(`${dir}/jobs.kv`);
  try {
    const service = createWorkersService({
      queue,
      jobs: [anything],
      logger: createLogger({ service: "workers-api", sink: () => {} }),
    });
    const response = await service.fetch(
      new Request("http://workers.test/api/jobs", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name: "anything", input: { blob: "x".repeat(100_000) } }),
      }),
    );
    equal(response.status, 400);
    const body = await response.json();
    ok(/Deno KV refused it/.test(body.message), body.message);
    deepEqual(body.data.issues.map((issue: { path: string[] }) => issue.path), [["input"]]);
    equal((await queue.stats()).queued, 0);
  } finally {
    await queue.close();
    await Deno.remove(dir, { recursive: true });
  }
});
