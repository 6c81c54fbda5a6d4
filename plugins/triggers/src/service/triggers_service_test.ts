import { deepEqual, equal, match, ok } from "node:assert/strict";
import {
  defineCron,
  defineEvent,
  defineWebhook,
  type DeliveryStore,
  github,
  triggersByName,
  unverified,
} from "@netscript/plugin-triggers-core";
import { createMemoryDeliveryStore } from "@netscript/plugin-triggers-core/memory";
import { defineJob } from "@netscript/plugin-workers-core";
import type { Service } from "@netscript/service";
import { createLogger } from "@netscript/telemetry";
import { z } from "zod";
import { createTriggersService } from "./triggers_service.ts";

const build = defineJob({
  name: "build",
  input: z.object({ sha: z.string() }),
  handler: () => {},
});

const pushes = defineWebhook({
  name: "github-push",
  verify: github({ secretEnv: "WEBHOOK_GITHUB_SECRET" }),
  input: z.object({ after: z.string().min(1) }),
  dispatch: (event) => ({ job: build, input: { sha: event.payload.after } }),
});

const ping = defineWebhook({ name: "ping", verify: unverified(), dispatch: () => null });

const nightly = defineCron({
  name: "nightly",
  cron: "0 3 * * *",
  timezone: "Europe/Paris",
  dispatch: () => ({ job: build, input: { sha: "HEAD" } }),
});

const placed = defineEvent({
  name: "order-placed",
  on: { topic: "orders" },
  input: z.object({ id: z.string().min(1), note: z.string().default("") }),
  dispatch: (event) => ({ job: build, input: { sha: event.payload.id } }),
});

const buildDied = defineEvent({
  name: "build-died",
  on: { job: build, state: "dead" },
  dispatch: (event) => ({ job: build, input: { sha: event.payload.id } }),
});

/** An API answer, read loosely: each test looks at the fields it expects. */
// deno-lint-ignore no-explicit-any
type Body = any;

interface Harness {
  readonly store: DeliveryStore;
  readonly service: Service;
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: Body }>;
}

/** Runs `body` against a service over a fresh memory store with the five triggers, then closes the store. */
async function withService(body: (harness: Harness) => Promise<void>): Promise<void> {
  const store = createMemoryDeliveryStore();
  const service = createTriggersService({
    store,
    triggers: triggersByName([
      { file: "triggers/github_push.ts", definition: pushes },
      { file: "triggers/ping.ts", definition: ping },
      { file: "triggers/nightly.ts", definition: nightly },
      { file: "triggers/order_placed.ts", definition: placed },
      { file: "triggers/build_died.ts", definition: buildDied },
    ]),
    env: { get: (name) => name === "WEBHOOK_GITHUB_SECRET" ? "s3cret" : undefined },
    logger: createLogger({ service: "triggers-test", sink: () => {} }),
  });
  const call = async (method: string, path: string, requestBody?: unknown) => {
    const response = await service.fetch(
      new Request(`http://localhost/api${path}`, {
        method,
        ...(requestBody === undefined ? {} : {
          body: JSON.stringify(requestBody),
          headers: { "content-type": "application/json" },
        }),
      }),
    );
    return { status: response.status, body: await response.json() };
  };
  try {
    await body({ store, service, call });
  } finally {
    await store.close();
  }
}

Deno.test("GET /api/triggers lists the webhooks, the cron and the event trigger with their details", () =>
  withService(async ({ call }) => {
    const { status, body } = await call("GET", "/triggers");
    equal(status, 200);
    const byName = new Map(body.items.map((item: Body) => [item.name, item]));
    deepEqual(byName.get("github-push"), {
      name: "github-push",
      type: "webhook",
      path: "/hooks/github-push",
      verify: "github",
      cron: null,
      timezone: null,
      nextTick: null,
      topic: null,
      job: null,
      saga: null,
      state: null,
    });
    equal((byName.get("ping") as Body).verify, "unverified");
    deepEqual(byName.get("order-placed"), {
      name: "order-placed",
      type: "event",
      path: null,
      verify: null,
      cron: null,
      timezone: null,
      nextTick: null,
      topic: "orders",
      job: null,
      saga: null,
      state: null,
    });
    deepEqual(byName.get("build-died"), {
      name: "build-died",
      type: "event",
      path: null,
      verify: null,
      cron: null,
      timezone: null,
      nextTick: null,
      topic: null,
      job: "build",
      saga: null,
      state: "dead",
    });
    const cron = byName.get("nightly") as Body;
    equal(cron.type, "cron");
    equal(cron.path, null);
    equal(cron.verify, null);
    equal(cron.cron, "0 3 * * *");
    equal(cron.timezone, "Europe/Paris");
    ok(new Date(cron.nextTick).getTime() > Date.now(), cron.nextTick);
    equal(cron.topic, null);
  }));

Deno.test("GET /api/deliveries filters by trigger and state, pages, and counts the total", () =>
  withService(async ({ store, call }) => {
    for (let i = 0; i < 3; i++) {
      await store.record({ trigger: "ping", source: "webhook", key: `p-${i}`, payload: { i } });
    }
    await store.record({
      trigger: "github-push",
      source: "webhook",
      key: "g-1",
      payload: {},
      state: "rejected",
      error: "after: required",
    });
    const all = await call("GET", "/deliveries");
    equal(all.status, 200);
    equal(all.body.total, 4);
    equal(all.body.limit, 20);
    equal(all.body.offset, 0);

    const pings = await call("GET", "/deliveries?trigger=ping");
    equal(pings.body.total, 3);
    deepEqual(pings.body.items.map((d: Body) => d.payload.i), [2, 1, 0], "newest first");
    ok(pings.body.items.every((d: Body) => d.trigger === "ping" && d.state === "pending"));

    const rejected = await call("GET", "/deliveries?state=rejected");
    equal(rejected.body.total, 1);
    equal(rejected.body.items[0].trigger, "github-push");
    equal(rejected.body.items[0].error, "after: required");

    const page = await call("GET", "/deliveries?trigger=ping&limit=2&offset=2");
    equal(page.body.total, 3);
    equal(page.body.limit, 2);
    equal(page.body.offset, 2);
    deepEqual(page.body.items.map((d: Body) => d.payload.i), [0]);
    equal((await call("GET", "/deliveries?trigger=ping&state=rejected")).body.total, 0);
  }));

Deno.test("GET /api/deliveries/{id} returns a delivery, and an unknown id is a 404", () =>
  withService(async ({ store, call }) => {
    const { id } = await store.record({
      trigger: "ping",
      source: "webhook",
      key: "d-1",
      payload: { hello: "world" },
      headers: { "x-github-event": "push" },
    });
    const found = await call("GET", `/deliveries/${id}`);
    equal(found.status, 200);
    equal(found.body.id, id);
    equal(found.body.trigger, "ping");
    equal(found.body.source, "webhook");
    equal(found.body.key, "d-1");
    equal(found.body.state, "pending");
    deepEqual(found.body.payload, { hello: "world" });
    deepEqual(found.body.headers, { "x-github-event": "push" });
    equal(found.body.target, null);
    equal(found.body.replayOf, null);
    const missing = await call("GET", "/deliveries/nope");
    equal(missing.status, 404);
    equal(missing.body.code, "NOT_FOUND");
  }));

Deno.test("POST /api/deliveries/{id}/replay records a new delivery of the same payload", async (t) =>
  await withService(async ({ store, call }) => {
    await t.step("202 with a new delivery, source replay, replayOf the original", async () => {
      const { id } = await store.record({
        trigger: "github-push",
        source: "webhook",
        key: "d-1",
        payload: { after: "abc" },
        headers: { "x-github-event": "push" },
      });
      const replayed = await call("POST", `/deliveries/${id}/replay`);
      equal(replayed.status, 202);
      ok(replayed.body.deliveryId !== id);
      const replay = (await call("GET", `/deliveries/${replayed.body.deliveryId}`)).body;
      equal(replay.source, "replay");
      equal(replay.replayOf, id);
      equal(replay.key, null);
      equal(replay.state, "pending");
      deepEqual(replay.payload, { after: "abc" });
      deepEqual(replay.headers, { "x-github-event": "push" });
    });
    await t.step("an unknown delivery is a 404", async () => {
      const missing = await call("POST", "/deliveries/nope/replay");
      equal(missing.status, 404);
      equal(missing.body.code, "NOT_FOUND");
    });
    await t.step("a payload the trigger's current schema refuses is a 422", async () => {
      const { id } = await store.record({
        trigger: "github-push",
        source: "webhook",
        key: "d-old",
        payload: { before: "abc" },
      });
      const refused = await call("POST", `/deliveries/${id}/replay`);
      equal(refused.status, 422);
      equal(refused.body.code, "PAYLOAD_INVALID");
      deepEqual(refused.body.data.issues.map((i: Body) => i.path), ["after"]);
    });
    await t.step("a delivery whose trigger is gone is a 409", async () => {
      const { id } = await store.record({
        trigger: "removed",
        source: "webhook",
        key: "d-2",
        payload: {},
      });
      const before = (await store.list({})).total;
      const refused = await call("POST", `/deliveries/${id}/replay`);
      equal(refused.status, 409);
      equal(refused.body.code, "CONFLICT");
      match(refused.body.message, /"removed"/);
      equal((await store.list({})).total, before, "nothing recorded");
    });
  }));

Deno.test("POST /api/triggers/{name}/fire records a manual delivery", async (t) =>
  await withService(async ({ call }) => {
    await t.step("a webhook's payload is checked and recorded", async () => {
      const fired = await call("POST", "/triggers/github-push/fire", { payload: { after: "f00" } });
      equal(fired.status, 202);
      const delivery = (await call("GET", `/deliveries/${fired.body.deliveryId}`)).body;
      equal(delivery.source, "manual");
      equal(delivery.key, null);
      deepEqual(delivery.payload, { after: "f00" });
    });
    await t.step("a payload the webhook's schema refuses is a 422 with the issues", async () => {
      const refused = await call("POST", "/triggers/github-push/fire", { payload: { after: "" } });
      equal(refused.status, 422);
      equal(refused.body.code, "PAYLOAD_INVALID");
      deepEqual(refused.body.data.issues.map((i: Body) => i.path), ["after"]);
      const missing = await call("POST", "/triggers/github-push/fire", {});
      equal(missing.status, 422, "no payload is checked too");
      equal((await call("GET", "/deliveries?trigger=github-push")).body.total, 1);
    });
    await t.step("a cron trigger fires as a tick at the current time", async () => {
      const fired = await call("POST", "/triggers/nightly/fire", { payload: { ignored: true } });
      equal(fired.status, 202);
      const delivery = (await call("GET", `/deliveries/${fired.body.deliveryId}`)).body;
      equal(delivery.source, "manual");
      deepEqual(Object.keys(delivery.payload), ["scheduledAt"]);
      ok(!Number.isNaN(Date.parse(delivery.payload.scheduledAt)), delivery.payload.scheduledAt);
    });
    await t.step(
      "an event trigger's payload is checked and recorded as its schema outputs it",
      async () => {
        const fired = await call("POST", "/triggers/order-placed/fire", { payload: { id: "o-1" } });
        equal(fired.status, 202, JSON.stringify(fired.body));
        const delivery = (await call("GET", `/deliveries/${fired.body.deliveryId}`)).body;
        equal(delivery.source, "manual");
        equal(delivery.key, null);
        deepEqual(delivery.payload, { id: "o-1", note: "" });
        const refused = await call("POST", "/triggers/order-placed/fire", { payload: { id: "" } });
        equal(refused.status, 422);
        equal(refused.body.code, "PAYLOAD_INVALID");
        deepEqual(refused.body.data.issues.map((i: Body) => i.path), ["id"]);
        equal((await call("GET", "/deliveries?trigger=order-placed")).body.total, 1);
      },
    );
    await t.step("a trigger on a job checks the payload as a change of state", async () => {
      const change = {
        kind: "job",
        id: "j-1",
        name: "build",
        state: "dead",
        error: "out of disk",
        at: "2026-12-06T10:00:00.000Z",
        input: { sha: "f00" },
      };
      const fired = await call("POST", "/triggers/build-died/fire", { payload: change });
      equal(fired.status, 202, JSON.stringify(fired.body));
      const delivery = (await call("GET", `/deliveries/${fired.body.deliveryId}`)).body;
      deepEqual(delivery.payload, { ...change, output: null });
      const refused = await call("POST", "/triggers/build-died/fire", {
        payload: { ...change, kind: "step" },
      });
      equal(refused.status, 422);
      deepEqual(refused.body.data.issues.map((i: Body) => i.path), ["kind"]);
    });
    await t.step("an unknown trigger is a 404", async () => {
      const missing = await call("POST", "/triggers/nope/fire", {});
      equal(missing.status, 404);
      equal(missing.body.code, "NOT_FOUND");
    });
  }));

Deno.test("GET /api/stats counts deliveries by state", () =>
  withService(async ({ store, call }) => {
    await store.record({ trigger: "ping", source: "webhook", key: "a", payload: {} });
    await store.record({ trigger: "ping", source: "webhook", key: "b", payload: {} });
    await store.record({
      trigger: "ping",
      source: "webhook",
      key: "c",
      payload: {},
      state: "rejected",
      error: "bad",
    });
    const { status, body } = await call("GET", "/stats");
    equal(status, 200);
    deepEqual(body, { pending: 2, dispatched: 0, skipped: 0, rejected: 1, failed: 0 });
  }));

Deno.test("the webhook ingress is mounted at /hooks/", () =>
  withService(async ({ service, call }) => {
    const answer = await service.fetch(
      new Request("http://localhost/hooks/ping", {
        method: "POST",
        body: '{"hello":"world"}',
        headers: { "content-type": "application/json" },
      }),
    );
    equal(answer.status, 202);
    const { deliveryId, duplicate } = await answer.json();
    equal(duplicate, false);
    const delivery = (await call("GET", `/deliveries/${deliveryId}`)).body;
    equal(delivery.source, "webhook");
    deepEqual(delivery.payload, { hello: "world" });
    const unsigned = await service.fetch(
      new Request("http://localhost/hooks/github-push", {
        method: "POST",
        body: "{}",
        headers: { "content-type": "application/json", "x-github-delivery": "d-1" },
      }),
    );
    equal(unsigned.status, 401);
    await unsigned.body?.cancel();
    for (const name of ["nightly", "order-placed", "nope"]) {
      const elsewhere = await service.fetch(
        new Request(`http://localhost/hooks/${name}`, { method: "POST", body: "{}" }),
      );
      equal(elsewhere.status, 404, `/hooks/${name}: only webhooks are received`);
      equal((await elsewhere.json()).code, "TRIGGERS_UNKNOWN_TRIGGER");
    }
  }));

Deno.test("bad query input is a 400, never a 500", () =>
  withService(async ({ call }) => {
    for (
      const path of [
        "/deliveries?state=bogus",
        "/deliveries?limit=-1",
        "/deliveries?offset=-1",
        "/deliveries?limit=abc",
      ]
    ) {
      const { status, body } = await call("GET", path);
      equal(status, 400, path);
      equal(body.code, "BAD_REQUEST", path);
    }
  }));

Deno.test("the OpenAPI document describes every triggers route", () =>
  withService(async ({ service }) => {
    const document = await service.openapi();
    deepEqual(Object.keys(document.paths ?? {}).sort(), [
      "/deliveries",
      "/deliveries/{id}",
      "/deliveries/{id}/replay",
      "/stats",
      "/triggers",
      "/triggers/{name}/fire",
    ]);
    ok(JSON.stringify(document).includes("PAYLOAD_INVALID"));
    const served = await service.fetch(new Request("http://localhost/api/openapi.json"));
    equal(served.status, 200);
    ok(Object.keys((await served.json()).paths).includes("/triggers/{name}/fire"));
  }));
