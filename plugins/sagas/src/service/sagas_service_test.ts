import { deepEqual, equal, match, ok } from "node:assert/strict";
import fc from "fast-check";
import {
  createSagaRunner,
  defineSaga,
  MAX_SAGA_VALUE_BYTES,
  type SagaStore,
} from "@netscript/plugin-sagas-core";
import { createKvSagaStore } from "@netscript/plugin-sagas-core/kv";
import { createMemorySagaStore } from "@netscript/plugin-sagas-core/memory";
import { createPostgresSagaStore } from "@netscript/plugin-sagas-core/postgres";
import type { Service } from "@netscript/service";
import { createLogger } from "@netscript/telemetry";
import { z } from "zod";
import { freshPluginDatabase, postgres } from "../../../../tests/support/databases.ts";
import { assertAvailable } from "../../../../tests/support/requirements.ts";
import { createSagasService } from "./sagas_service.ts";

const greet = defineSaga({
  name: "greet",
  input: z.object({ who: z.string().min(1) }),
  async run({ who }, ctx) {
    const hello = await ctx.step("hello", () => `hello ${who}`);
    return { hello };
  },
});

const greetV2 = defineSaga({
  name: "greet",
  version: 2,
  input: z.object({ who: z.string().min(1) }),
  run: ({ who }) => ({ hello: `hi ${who}` }),
});

const waiter = defineSaga({
  name: "waiter",
  input: z.object({ order: z.string() }),
  async run({ order }, ctx) {
    await ctx.step("reserve", () => ({ order }), { compensate: () => {} });
    const go = await ctx.waitForSignal("go", { schema: z.object({ ok: z.boolean() }) });
    return { order, ok: go.ok };
  },
});

const broken = defineSaga({
  name: "broken",
  input: z.unknown(),
  retry: { attempts: 1 },
  async run(_input, ctx) {
    await ctx.step("book", () => 1, {
      compensate: () => {
        throw new Error("the refund service is down");
      },
    });
    await ctx.step("pay", () => {
      throw new Error("card declined");
    });
  },
});

/** The plugin's schema fragment, which `netscript db migrate` applies. */
const SAGAS_FRAGMENT = new URL("../../scaffold/database/sagas.prisma", import.meta.url);

const quiet = createLogger({ service: "sagas-test", sink: () => {} });

/** An API answer, read loosely: each test looks at the fields it expects. */
// deno-lint-ignore no-explicit-any
type Body = any;

interface Harness {
  readonly store: SagaStore;
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: Body }>;
  /** Runs what is runnable now, as `saga-runner` would. */
  drain(): Promise<unknown>;
}

async function send(service: Service, method: string, path: string, body?: unknown) {
  const response = await service.fetch(
    new Request(`http://localhost/api${path}`, {
      method,
      ...(body === undefined || method === "GET" ? {} : {
        body: typeof body === "string" ? body : JSON.stringify(body),
        headers: { "content-type": "application/json" },
      }),
    }),
  );
  return { status: response.status, body: await response.json() };
}

/** Runs `body` against a service over a store (a fresh memory one by default), then closes the store. */
async function withService(
  body: (harness: Harness) => Promise<void>,
  store: SagaStore = createMemorySagaStore(),
): Promise<void> {
  const sagas = [greet, greetV2, waiter, broken];
  const service = createSagasService({ store, sagas, logger: quiet });
  const runner = createSagaRunner({ store, sagas, logger: quiet });
  try {
    await body({
      store,
      call: (method, path, requestBody) => send(service, method, path, requestBody),
      drain: () => runner.drain(),
    });
  } finally {
    await store.close();
  }
}

/** Asserts a typed error of the contract: its status, code and `defined` flag. */
function assertError(answer: { status: number; body: Body }, status: number, code: string) {
  equal(answer.status, status, JSON.stringify(answer.body));
  equal(answer.body.code, code, JSON.stringify(answer.body));
  equal(answer.body.defined, true, `${code} is declared in the contract's error map`);
}

Deno.test("POST /api/sagas starts the newest version; the same id answers the same saga", () =>
  withService(async ({ call, drain }) => {
    const first = await call("POST", "/sagas", {
      name: "greet",
      input: { who: "Ada" },
      id: "greet-ada",
    });
    equal(first.status, 200);
    deepEqual(first.body, { id: "greet-ada", state: "running", created: true });
    const again = await call("POST", "/sagas", {
      name: "greet",
      input: { who: "Ada" },
      id: "greet-ada",
    });
    deepEqual(again.body, { id: "greet-ada", state: "running", created: false });
    const made = await call("POST", "/sagas", { name: "greet", input: { who: "Bob" } });
    equal(made.status, 200);
    match(made.body.id, /^[0-9a-f-]{36}$/);

    await drain();
    const saga = await call("GET", "/sagas/greet-ada");
    equal(saga.status, 200);
    equal(saga.body.version, 2, "a start by name runs the newest version");
    equal(saga.body.state, "completed");
    deepEqual(saga.body.input, { who: "Ada" });
    deepEqual(saga.body.output, { hello: "hi Ada" });
    equal(saga.body.error, null);
    ok(saga.body.finishedAt !== null);
    deepEqual(saga.body.steps, []);
    deepEqual(saga.body.compensations, []);
  }));

Deno.test("GET /api/sagas/{id} returns the forward steps and the compensations with their times", () =>
  withService(async ({ call, drain }) => {
    await call("POST", "/sagas", { name: "waiter", input: { order: "o-1" }, id: "w-1" });
    await drain();
    const waiting = await call("GET", "/sagas/w-1");
    equal(waiting.body.state, "waiting");
    deepEqual(
      waiting.body.steps.map((s: Body) => [s.seq, s.kind, s.name, s.state, s.attempts]),
      [[0, "step", "reserve", "completed", 1], [1, "signal", "go", "waiting", 0]],
    );
    deepEqual(waiting.body.steps[0].result, { order: "o-1" });
    equal(waiting.body.steps[1].result, null);
    ok(!Number.isNaN(Date.parse(waiting.body.steps[0].startedAt)));

    const cancelled = await call("POST", "/sagas/w-1/cancel");
    equal(cancelled.status, 200);
    equal(cancelled.body.cancelRequested, true);
    await drain();
    const after = await call("GET", "/sagas/w-1");
    equal(after.body.state, "cancelled");
    deepEqual(
      after.body.compensations.map((c: Body) => [c.name, c.compensates, c.state, c.attempts]),
      [["reserve", 0, "completed", 1]],
    );
    const again = await call("POST", "/sagas/w-1/cancel");
    equal(again.status, 200, "a finished saga is answered as it is");
    equal(again.body.state, "cancelled");
  }));

Deno.test("POST /api/sagas/{id}/signals/{name} wakes a waiting saga, which completes with the payload", () =>
  withService(async ({ call, drain }) => {
    await call("POST", "/sagas", { name: "waiter", input: { order: "o-2" }, id: "w-2" });
    await drain();
    const sent = await call("POST", "/sagas/w-2/signals/go", { payload: { ok: true } });
    equal(sent.status, 202, JSON.stringify(sent.body));
    equal(sent.body.name, "go");
    ok(!Number.isNaN(Date.parse(sent.body.receivedAt)));
    await drain();
    const done = await call("GET", "/sagas/w-2");
    equal(done.body.state, "completed");
    deepEqual(done.body.output, { order: "o-2", ok: true });

    assertError(
      await call("POST", "/sagas/w-2/signals/go", { payload: { ok: true } }),
      409,
      "SAGAS_FINISHED",
    );
    assertError(await call("POST", "/sagas/nope/signals/go", {}), 404, "SAGAS_NOT_FOUND");
    const badName = await call("POST", "/sagas/w-2/signals/no%20spaces", {});
    equal(badName.status, 400);
    equal(badName.body.code, "BAD_REQUEST");
    await call("POST", "/sagas", { name: "waiter", input: { order: "o-3" }, id: "w-3" });
    assertError(
      await call("POST", "/sagas/w-3/signals/go", { payload: { note: "a\u0000b" } }),
      400,
      "SAGAS_NOT_JSON",
    );
  }));

Deno.test("POST /api/sagas/{id}/retry runs a failed saga again; any other state is a 409", () =>
  withService(async ({ call, drain }) => {
    await call("POST", "/sagas", { name: "broken", input: null, id: "b-1" });
    await drain();
    const failed = await call("GET", "/sagas/b-1");
    equal(failed.body.state, "failed");
    match(failed.body.error, /refund service is down/);
    deepEqual(
      failed.body.steps.map((s: Body) => [s.name, s.state]),
      [["book", "completed"], ["pay", "failed"]],
    );
    match(failed.body.steps[1].error, /card declined/);
    equal(failed.body.compensations[0].state, "failed");

    const retried = await call("POST", "/sagas/b-1/retry");
    equal(retried.status, 200, JSON.stringify(retried.body));
    equal(retried.body.state, "running");
    equal(retried.body.error, null);

    await call("POST", "/sagas", { name: "greet", input: { who: "Cy" }, id: "g-cy" });
    const notFailed = await call("POST", "/sagas/g-cy/retry");
    assertError(notFailed, 409, "SAGAS_NOT_RETRYABLE");
    equal(notFailed.body.data.state, "running");
    assertError(await call("POST", "/sagas/nope/retry"), 404, "SAGAS_NOT_FOUND");
  }));

Deno.test("POST /api/sagas answers each refusal with its own code", () =>
  withService(async ({ call }) => {
    const unknown = await call("POST", "/sagas", { name: "nope", input: {} });
    assertError(unknown, 404, "SAGAS_UNKNOWN_SAGA");
    deepEqual(unknown.body.data, { saga: "nope", known: ["broken", "greet", "waiter"] });

    const invalid = await call("POST", "/sagas", { name: "greet", input: { who: 7 } });
    assertError(invalid, 400, "SAGAS_INVALID_INPUT");
    equal(invalid.body.data.saga, "greet");
    deepEqual(invalid.body.data.issues.map((i: Body) => i.path), ["who"]);

    for (const id of ["", "has space", "x".repeat(201), "a/b", "nul\u0000"]) {
      const refused = await call("POST", "/sagas", { name: "greet", input: { who: "A" }, id });
      assertError(refused, 400, "SAGAS_INVALID_ID");
    }

    await call("POST", "/sagas", { name: "greet", input: { who: "A" }, id: "taken" });
    const conflict = await call("POST", "/sagas", { name: "broken", input: 1, id: "taken" });
    assertError(conflict, 409, "SAGAS_ID_CONFLICT");
    deepEqual(conflict.body.data, { id: "taken", saga: "broken", existing: "greet" });

    assertError(
      await call("POST", "/sagas", { name: "broken", input: { s: "\u0000" } }),
      400,
      "SAGAS_NOT_JSON",
    );
    const large = await call("POST", "/sagas", {
      name: "broken",
      input: "x".repeat(MAX_SAGA_VALUE_BYTES),
    });
    assertError(large, 413, "SAGAS_VALUE_TOO_LARGE");
    equal(large.body.data.limit, MAX_SAGA_VALUE_BYTES);

    const noName = await call("POST", "/sagas", { input: {} });
    equal(noName.status, 400);
    equal(noName.body.code, "BAD_REQUEST");
    ok(noName.body.data.issues.length > 0);
  }));

Deno.test("a path id that is not a saga id is a 400 SAGAS_INVALID_ID; an unknown one a 404", () =>
  withService(async ({ call }) => {
    for (const method of ["GET", "POST"] as const) {
      const suffix = method === "GET" ? "" : "/cancel";
      assertError(await call(method, `/sagas/a%20b${suffix}`), 400, "SAGAS_INVALID_ID");
      assertError(
        await call(method, `/sagas/${"x".repeat(5000)}${suffix}`),
        400,
        "SAGAS_INVALID_ID",
      );
      assertError(await call(method, `/sagas/missing${suffix}`), 404, "SAGAS_NOT_FOUND");
    }
  }));

Deno.test("GET /api/sagas filters by state and name and pages; /stats counts; /definitions lists", () =>
  withService(async ({ call, drain }) => {
    for (let i = 0; i < 3; i++) {
      await call("POST", "/sagas", { name: "greet", input: { who: `p${i}` }, id: `g-${i}` });
    }
    await call("POST", "/sagas", { name: "waiter", input: { order: "o" }, id: "w" });
    await drain();
    const all = await call("GET", "/sagas");
    equal(all.status, 200);
    equal(all.body.total, 4);
    deepEqual([all.body.limit, all.body.offset], [20, 0]);
    const greets = await call("GET", "/sagas?name=greet&state=completed&limit=2&offset=1");
    equal(greets.body.total, 3);
    equal(greets.body.items.length, 2);
    ok(greets.body.items.every((s: Body) => s.name === "greet" && s.state === "completed"));
    equal((await call("GET", "/sagas?state=waiting")).body.items[0].id, "w");
    equal((await call("GET", "/sagas?state=bogus")).status, 400);
    equal((await call("GET", "/sagas?name=Not%20A%20Name")).status, 400);
    equal((await call("GET", "/sagas?limit=0")).status, 400);

    const stats = await call("GET", "/stats");
    deepEqual(stats.body, {
      running: 0,
      waiting: 1,
      completed: 3,
      compensating: 0,
      compensated: 0,
      failed: 0,
      cancelled: 0,
    });
    const definitions = await call("GET", "/definitions");
    deepEqual(definitions.body.items, [
      { name: "broken", version: 1, latest: true },
      { name: "greet", version: 1, latest: false },
      { name: "greet", version: 2, latest: true },
      { name: "waiter", version: 1, latest: true },
    ]);
  }));

Deno.test("hostile requests are answered 4xx, never 500", () =>
  withService(async ({ call }) => {
    const cases: [string, string, unknown][] = [
      ["POST", "/sagas", "{not json"],
      ["POST", "/sagas", "[]"],
      ["POST", "/sagas", "null"],
      ["POST", "/sagas", { name: 42, input: {} }],
      ["POST", "/sagas", { name: "x".repeat(100_000), input: {} }],
      ["POST", "/sagas", { name: "greet\u0000", input: {} }],
      ["POST", "/sagas", { name: "greet", input: { who: "\ud800" } }],
      ["POST", "/sagas", { name: "greet", input: { who: "a" }, id: 5 }],
      ["POST", "/sagas/w/signals/go", "{"],
      ["POST", "/sagas/w/signals/%00", {}],
      ["POST", `/sagas/w/signals/${"s".repeat(200)}`, {}],
      ["GET", "/sagas?offset=-1", undefined],
      ["GET", "/sagas?limit=abc", undefined],
      ["GET", "/sagas?name=%00", undefined],
      ["GET", "/sagas/%00", undefined],
      ["GET", "/sagas/%F0%9F%98%80", undefined],
    ];
    for (const [method, path, body] of cases) {
      const answer = await call(method, path, body);
      ok(
        answer.status >= 400 && answer.status < 500,
        `${method} ${path.slice(0, 60)}: ${answer.status} ${JSON.stringify(answer.body)}`,
      );
    }
  }));

/** Sends `runs` generated requests, hostile ones often, and fails on any 5xx answer. */
async function neverAnswers5xx({ call }: Harness, runs: number): Promise<void> {
  const text = fc.string({ unit: "binary", maxLength: 40 });
  const json = fc.jsonValue({ maxDepth: 3 });
  const request = fc.oneof(
    fc.record({
      method: fc.constant("POST"),
      path: fc.constant("/sagas"),
      body: fc.record(
        {
          name: fc.oneof(text, fc.constantFrom("greet", "waiter", "broken")),
          input: json,
          id: text,
        },
        { requiredKeys: [] },
      ),
    }),
    fc.record({
      method: fc.constantFrom("GET", "POST"),
      path: fc.tuple(text, fc.constantFrom("", "/cancel", "/retry", "/signals/go")).map((
        [id, rest],
      ) => `/sagas/${encodeURIComponent(id.toWellFormed())}${rest}`),
      body: fc.option(fc.record({ payload: json }), { nil: undefined }),
    }),
    fc.record({
      method: fc.constant("GET"),
      path: fc.tuple(text, text).map(([state, name]) =>
        `/sagas?state=${encodeURIComponent(state.toWellFormed())}&name=${
          encodeURIComponent(name.toWellFormed())
        }`
      ),
      body: fc.constant(undefined),
    }),
  );
  await fc.assert(
    fc.asyncProperty(request, async ({ method, path, body }) => {
      const answer = await call(method, path, body);
      return answer.status < 500;
    }),
    { numRuns: runs },
  );
}

Deno.test("generated requests are never answered 5xx on the memory store", () =>
  withService((harness) => neverAnswers5xx(harness, 300)));

Deno.test("generated requests are never answered 5xx on Deno KV", async () => {
  const dir = await Deno.makeTempDir({ prefix: "netscript-sagas-api-" });
  try {
    await withService(
      (harness) => neverAnswers5xx(harness, 300),
      await createKvSagaStore({ path: `${dir}/sagas.kv` }),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "generated requests are never answered 5xx on PostgreSQL",
  ignore: postgres.ignore,
  async fn() {
    assertAvailable(postgres, "postgres");
    const database = await freshPluginDatabase([{ plugin: "sagas", file: SAGAS_FRAGMENT }]);
    try {
      await withService(
        (harness) => neverAnswers5xx(harness, 300),
        createPostgresSagaStore({ url: database.url, logger: quiet }),
      );
    } finally {
      await database.drop();
    }
  },
});

Deno.test("sagas-api answers 503 SERVICE_UNAVAILABLE while its store cannot be reached", async () => {
  const store = createPostgresSagaStore({
    url: "postgresql://postgres:hunter2@127.0.0.1:1/sagas",
    logger: quiet,
  });
  try {
    const service = createSagasService({ store, sagas: [greet], logger: quiet });
    equal((await service.fetch(new Request("http://localhost/health"))).status, 503);
    for (
      const [method, path, body] of [
        ["POST", "/sagas", { name: "greet", input: { who: "A" } }],
        ["GET", "/sagas/some-id", undefined],
        ["GET", "/sagas", undefined],
        ["POST", "/sagas/some-id/signals/go", {}],
        ["GET", "/stats", undefined],
      ] as const
    ) {
      const answer = await send(service, method, path, body);
      equal(answer.status, 503, `${method} ${path}: ${JSON.stringify(answer.body)}`);
      equal(answer.body.code, "SERVICE_UNAVAILABLE");
      ok(!JSON.stringify(answer.body).includes("127.0.0.1:1"), "the address is not sent");
    }
  } finally {
    await store.close();
  }
});
