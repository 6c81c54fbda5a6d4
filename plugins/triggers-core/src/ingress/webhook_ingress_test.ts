import { deepEqual, equal, match, notEqual, ok } from "node:assert/strict";
import { NetScriptError } from "@netscript/contracts/errors";
import { createLogger, type LogLevel } from "@netscript/telemetry";
import { z } from "zod";
import { createMemoryDeliveryStore } from "../adapters/memory/mod.ts";
import { defineWebhook, type WebhookDefinition } from "../dsl/define_webhook.ts";
import type { DeliveryStats, DeliveryStore } from "../ports/delivery_store.ts";
import { github, signGitHubWebhook } from "../webhooks/github.ts";
import { signStandardWebhook, standardWebhooks } from "../webhooks/standard_webhooks.ts";
import { signStripeWebhook, stripe } from "../webhooks/stripe.ts";
import { unverified } from "../webhooks/unverified.ts";
import { createWebhookIngress, HOOKS_PATH, type WebhookIngress } from "./webhook_ingress.ts";

const NOW = new Date("2026-06-01T12:00:00Z");
const SECRETS: Record<string, string> = {
  CLERK_WEBHOOK_SECRET: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  GITHUB_WEBHOOK_SECRET: "It's a Secret to Everybody",
  STRIPE_WEBHOOK_SECRET: "whsec_test_stripe_secret",
};
const NOTHING: DeliveryStats = { pending: 0, dispatched: 0, skipped: 0, rejected: 0, failed: 0 };

const clerk = defineWebhook({
  name: "clerk",
  verify: standardWebhooks({ secretEnv: "CLERK_WEBHOOK_SECRET" }),
  input: z.object({ type: z.string(), data: z.object({ id: z.string() }) }),
  dispatch: () => null,
});
const pushes = defineWebhook({
  name: "github-push",
  verify: github({ secretEnv: "GITHUB_WEBHOOK_SECRET" }),
  dispatch: () => null,
});
const payments = defineWebhook({
  name: "stripe",
  verify: stripe({ secretEnv: "STRIPE_WEBHOOK_SECRET" }),
  dispatch: () => null,
});
const small = defineWebhook({
  name: "small",
  verify: unverified(),
  maxBodyBytes: 16,
  dispatch: () => null,
});
const WEBHOOKS: readonly WebhookDefinition[] = [clerk, pushes, payments, small];

interface Harness {
  readonly ingress: WebhookIngress;
  readonly store: DeliveryStore;
  readonly logs: { level: LogLevel; line: string }[];
  post(name: string, body: BodyInit, headers?: HeadersInit): Promise<Response>;
}

/** Runs `body` with an ingress over a fresh memory store, closing the store afterwards. */
async function withIngress(
  body: (harness: Harness) => Promise<void>,
  options: {
    webhooks?: readonly WebhookDefinition[];
    env?: Record<string, string>;
    store?: DeliveryStore;
    bodyTimeoutMs?: number;
  } = {},
): Promise<void> {
  const store = options.store ?? createMemoryDeliveryStore();
  const logs: Harness["logs"] = [];
  const env = options.env ?? SECRETS;
  const ingress = createWebhookIngress({
    webhooks: options.webhooks ?? WEBHOOKS,
    store,
    env: { get: (name) => env[name] },
    now: () => NOW,
    logger: createLogger({ service: "test", sink: (line, level) => logs.push({ level, line }) }),
    ...(options.bodyTimeoutMs === undefined ? {} : { bodyTimeoutMs: options.bodyTimeoutMs }),
  });
  // Senders label their JSON: without a content type, a string body would be sent as text/plain.
  const post = (name: string, requestBody: BodyInit, headers: HeadersInit = {}) =>
    ingress.fetch(
      new Request(`http://localhost${HOOKS_PATH}${name}`, {
        method: "POST",
        body: requestBody,
        headers: {
          "content-type": "application/json",
          ...Object.fromEntries(new Headers(headers)),
        },
      }),
    );
  try {
    await body({ ingress, store, logs, post });
  } finally {
    await store.close();
  }
}

/** Standard Webhooks headers for `body`, signed at `timestamp` with `secret`. */
function standardHeaders(
  body: string,
  options: { id?: string; timestamp?: Date; secret?: string } = {},
) {
  return signStandardWebhook({
    secret: options.secret ?? SECRETS.CLERK_WEBHOOK_SECRET!,
    id: options.id ?? "msg_1",
    timestamp: options.timestamp ?? NOW,
    body,
  });
}

/** The JSON of an answer, with its status. */
async function answer(
  response: Response,
): Promise<{ status: number; body: Record<string, unknown> }> {
  return { status: response.status, body: await response.json() };
}

/** Asserts an error answer of `status` and `code`. */
async function refused(response: Response, status: number, code: string): Promise<string> {
  const { body } = await answer(response);
  equal(response.status, status, JSON.stringify(body));
  equal(body.code, code);
  return String(body.message);
}

const CLERK_BODY = JSON.stringify({ type: "user.created", data: { id: "user_1" } });

Deno.test("the ingress records a Standard Webhooks delivery and answers 202 with its id", async () => {
  await withIngress(async ({ store, post }) => {
    const response = await post("clerk", CLERK_BODY, {
      ...await standardHeaders(CLERK_BODY),
      "content-type": "application/json",
      "authorization": "Bearer nope",
      "cookie": "session=1",
    });
    const { status, body } = await answer(response);
    equal(status, 202);
    equal(body.duplicate, false);
    const delivery = await store.get(String(body.deliveryId));
    ok(delivery !== null);
    equal(delivery.trigger, "clerk");
    equal(delivery.source, "webhook");
    equal(delivery.key, "msg_1");
    equal(delivery.state, "pending");
    deepEqual(delivery.payload, { type: "user.created", data: { id: "user_1" } });
    deepEqual(delivery.headers, {
      "content-type": "application/json",
      "webhook-id": "msg_1",
      "webhook-timestamp": String(NOW.getTime() / 1000),
    });
  });
});

Deno.test("the ingress stores the input schema's output: defaults and transforms applied", async () => {
  const tagged = defineWebhook({
    name: "tagged",
    verify: unverified(),
    input: z.object({ n: z.number(), tag: z.string().default("none"), name: z.string().trim() }),
    dispatch: () => null,
  });
  await withIngress(async ({ store, post }) => {
    const { status, body } = await answer(await post("tagged", '{"n":1,"name":"  ada "}'));
    equal(status, 202);
    deepEqual((await store.get(String(body.deliveryId)))!.payload, {
      n: 1,
      tag: "none",
      name: "ada",
    });
  }, { webhooks: [tagged] });
});

Deno.test("the ingress verifies GitHub and Stripe deliveries, keyed by their ids", async () => {
  await withIngress(async ({ store, post }) => {
    const push = JSON.stringify({ ref: "refs/heads/main", after: "abc" });
    const gh = await answer(
      await post("github-push", push, {
        ...await signGitHubWebhook({
          secret: SECRETS.GITHUB_WEBHOOK_SECRET!,
          body: push,
          deliveryId: "d-1",
        }),
        "x-github-event": "push",
      }),
    );
    equal(gh.status, 202);
    const pushed = await store.get(String(gh.body.deliveryId));
    equal(pushed?.key, "d-1");
    deepEqual(pushed?.headers, {
      "content-type": "application/json",
      "x-github-delivery": "d-1",
      "x-github-event": "push",
    });
    deepEqual(pushed?.payload, { ref: "refs/heads/main", after: "abc" });

    const event = JSON.stringify({ id: "evt_1", type: "invoice.paid" });
    const paid = await answer(
      await post(
        "stripe",
        event,
        await signStripeWebhook({
          secret: SECRETS.STRIPE_WEBHOOK_SECRET!,
          timestamp: NOW,
          body: event,
        }),
      ),
    );
    equal(paid.status, 202);
    const recorded = await store.get(String(paid.body.deliveryId));
    equal(recorded?.key, "evt_1");
    deepEqual(Object.keys(recorded?.headers ?? {}), ["content-type"]);
  });
});

Deno.test("the ingress verifies the exact bytes received, not a re-serialized body", async () => {
  await withIngress(async ({ store, post }) => {
    const raw = '{ "type" : "user.\\u0063reated",\n  "data": { "id": "\\u00fcser_1" } }';
    notEqual(JSON.stringify(JSON.parse(raw)), raw);
    const accepted = await answer(await post("clerk", raw, await standardHeaders(raw)));
    equal(accepted.status, 202);
    deepEqual((await store.get(String(accepted.body.deliveryId)))?.payload, {
      type: "user.created",
      data: { id: "üser_1" },
    });
    const reserialized = JSON.stringify(JSON.parse(raw));
    await refused(
      await post("clerk", raw, await standardHeaders(reserialized, { id: "msg_2" })),
      401,
      "TRIGGERS_SIGNATURE_INVALID",
    );
  });
});

Deno.test("the ingress answers 401 and stores nothing for a request that does not verify", async (t) => {
  await withIngress(async ({ store, post, logs }) => {
    await t.step("a tampered body", async () => {
      const headers = await standardHeaders(CLERK_BODY);
      await refused(
        await post("clerk", CLERK_BODY.replace("user_1", "user_2"), headers),
        401,
        "TRIGGERS_SIGNATURE_INVALID",
      );
    });
    await t.step("a signature made with another secret", async () => {
      const headers = await standardHeaders(CLERK_BODY, {
        secret: "whsec_" + btoa("another secret of 24 bytes"),
      });
      await refused(await post("clerk", CLERK_BODY, headers), 401, "TRIGGERS_SIGNATURE_INVALID");
      const push = "{}";
      const gh = await signGitHubWebhook({ secret: "wrong", body: push, deliveryId: "d-9" });
      await refused(await post("github-push", push, gh), 401, "TRIGGERS_SIGNATURE_INVALID");
    });
    await t.step("no signature", async () => {
      await refused(await post("clerk", CLERK_BODY, {}), 401, "TRIGGERS_HEADER_MISSING");
      const { "webhook-signature": _, ...unsigned } = await standardHeaders(CLERK_BODY);
      await refused(await post("clerk", CLERK_BODY, unsigned), 401, "TRIGGERS_SIGNATURE_MISSING");
      await refused(
        await post("github-push", "{}", { "x-github-delivery": "d-1" }),
        401,
        "TRIGGERS_SIGNATURE_MISSING",
      );
    });
    deepEqual(await store.stats(), NOTHING);
    equal((await store.list()).total, 0);
    ok(logs.some(({ level, line }) => level === "warn" && line.includes("webhook refused")));
    ok(logs.every(({ line }) => !line.includes(SECRETS.CLERK_WEBHOOK_SECRET!)));
  });
});

Deno.test("the ingress holds signed timestamps to a 300 s tolerance", async () => {
  await withIngress(async ({ store, post }) => {
    for (const [offset, expected] of [[-299, 202], [299, 202], [-301, 401], [301, 401]] as const) {
      const timestamp = new Date(NOW.getTime() + offset * 1000);
      const id = `msg_${offset}`;
      const standard = await post(
        "clerk",
        CLERK_BODY,
        await standardHeaders(CLERK_BODY, { id, timestamp }),
      );
      equal(standard.status, expected, `standard webhooks at ${offset} s`);
      const event = JSON.stringify({ id: `evt_${offset}` });
      const paid = await post(
        "stripe",
        event,
        await signStripeWebhook({ secret: SECRETS.STRIPE_WEBHOOK_SECRET!, timestamp, body: event }),
      );
      equal(paid.status, expected, `stripe at ${offset} s`);
      if (expected === 401) {
        equal((await standard.json()).code, "TRIGGERS_TIMESTAMP_OUTSIDE_TOLERANCE");
        equal((await paid.json()).code, "TRIGGERS_TIMESTAMP_OUTSIDE_TOLERANCE");
      } else {
        await standard.body?.cancel();
        await paid.body?.cancel();
      }
    }
    equal((await store.stats()).pending, 4);
  });
});

Deno.test("the ingress answers a repeated delivery id 200 with the first delivery's id", async () => {
  await withIngress(async ({ store, post }) => {
    const headers = await standardHeaders(CLERK_BODY);
    const first = await answer(await post("clerk", CLERK_BODY, headers));
    equal(first.status, 202);
    const again = await answer(await post("clerk", CLERK_BODY, headers));
    deepEqual(again, { status: 200, body: { deliveryId: first.body.deliveryId, duplicate: true } });
    deepEqual(await store.stats(), { ...NOTHING, pending: 1 });
  });
});

Deno.test("the ingress stores a payload its schema refuses as rejected and answers 422", async () => {
  await withIngress(async ({ store, post }) => {
    const wrong = JSON.stringify({ type: 7 });
    const { status, body } = await answer(await post("clerk", wrong, await standardHeaders(wrong)));
    equal(status, 422);
    equal(body.code, "TRIGGERS_PAYLOAD_INVALID");
    const data = body.data as { deliveryId: string; issues: { path: string; message: string }[] };
    deepEqual(data.issues.map((issue) => issue.path).sort(), ["data", "type"]);
    const delivery = await store.get(data.deliveryId);
    equal(delivery?.state, "rejected");
    deepEqual(delivery?.payload, { type: 7 });
    match(delivery?.error ?? "", /\btype\b/);
    match(delivery?.error ?? "", /\bdata\b/);

    const broken = '{"type":';
    const notJson = await answer(
      await post("clerk", broken, {
        ...await standardHeaders(broken, { id: "msg_2" }),
        "content-type": "application/json",
      }),
    );
    equal(notJson.status, 422);
    const kept = await store.get((notJson.body.data as { deliveryId: string }).deliveryId);
    equal(kept?.state, "rejected");
    equal(kept?.payload, broken);
    match(kept?.error ?? "", /the body is not JSON/);
    deepEqual(await store.stats(), { ...NOTHING, rejected: 2 });
  });
});

Deno.test("the ingress answers 422 and stores nothing for a payload no store can keep", async () => {
  await withIngress(async ({ store, post }) => {
    const message = await refused(
      await post("small", '{"a":"\\u0000"}'),
      422,
      "TRIGGERS_PAYLOAD_UNSTORABLE",
    );
    match(message, /"small"/);
    deepEqual(await store.stats(), NOTHING);
  });
});

Deno.test("the ingress answers 404 for an unknown trigger and 405 for another method", async () => {
  await withIngress(async ({ ingress, store, post }) => {
    const message = await refused(await post("nope", "{}"), 404, "TRIGGERS_UNKNOWN_TRIGGER");
    match(message, /"nope"/);
    await refused(await post("%E0%A4%A", "{}"), 404, "TRIGGERS_UNKNOWN_TRIGGER");
    const get = await ingress.fetch(new Request("http://localhost/hooks/small"));
    equal(get.headers.get("allow"), "POST");
    await refused(get, 405, "METHOD_NOT_ALLOWED");
    const put = await ingress.fetch(
      new Request("http://localhost/hooks/small", { method: "PUT", body: "{}" }),
    );
    await refused(put, 405, "METHOD_NOT_ALLOWED");
    deepEqual(await store.stats(), NOTHING);
  });
});

Deno.test("the ingress answers 503 TRIGGERS_SECRET_MISSING while a secret variable is unset", async () => {
  await withIngress(async ({ store, post, logs }) => {
    const message = await refused(
      await post("github-push", "{}", { "x-github-delivery": "d-1" }),
      503,
      "TRIGGERS_SECRET_MISSING",
    );
    match(message, /"github-push"/);
    ok(
      logs.some(({ level, line }) =>
        level === "error" && line.includes("github-push") && line.includes("GITHUB_WEBHOOK_SECRET")
      ),
    );
    const other = await answer(await post("small", "{}"));
    equal(other.status, 202);
    deepEqual(await store.stats(), { ...NOTHING, pending: 1 });
  }, { env: { CLERK_WEBHOOK_SECRET: SECRETS.CLERK_WEBHOOK_SECRET!, GITHUB_WEBHOOK_SECRET: "" } });
});

Deno.test("the ingress answers 413 for a body over maxBodyBytes and stores nothing", async (t) => {
  await withIngress(async ({ store, post }) => {
    await t.step("a declared Content-Length, refused before the body is read", async () => {
      let pulled = false;
      let cancelled = false;
      const body = new ReadableStream<Uint8Array>({
        pull() {
          pulled = true;
        },
        cancel() {
          cancelled = true;
        },
      });
      await refused(
        await post("small", body, { "content-length": "17" }),
        413,
        "PAYLOAD_TOO_LARGE",
      );
      equal(pulled, false);
      ok(cancelled);
    });
    await t.step("a body that grows past the limit", async () => {
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"a":"0123456789"}'));
          controller.close();
        },
      });
      await refused(await post("small", body), 413, "PAYLOAD_TOO_LARGE");
    });
    await t.step("the limit itself is accepted", async () => {
      equal((await answer(await post("small", '{"a":"01234567"}'))).status, 202);
    });
    deepEqual(await store.stats(), { ...NOTHING, pending: 1 });
  });
});

Deno.test("the ingress answers 408 for a body slower than bodyTimeoutMs and stores nothing", async () => {
  await withIngress(async ({ store, post }) => {
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"a":'));
      },
      cancel() {
        cancelled = true;
      },
    });
    await refused(await post("small", body), 408, "TIMEOUT");
    ok(cancelled);
    deepEqual(await store.stats(), NOTHING);
  }, { bodyTimeoutMs: 50 });
});

Deno.test("the ingress answers 503 while the delivery store is unavailable", async () => {
  const memory = createMemoryDeliveryStore();
  // The one failure injected: a store whose record cannot reach its database.
  const unreachable: DeliveryStore = {
    ...Object.fromEntries(
      ([
        "claim",
        "settle",
        "get",
        "list",
        "stats",
        "cursor",
        "prune",
        "waitForWork",
        "close",
      ] as const)
        .map((method) => [method, memory[method].bind(memory)]),
    ) as Omit<DeliveryStore, "record">,
    record: () =>
      Promise.reject(
        new NetScriptError("STORE_UNAVAILABLE", "Cannot reach the delivery store", {
          details: { dependency: "delivery store" },
        }),
      ),
  };
  await withIngress(async ({ store, post, logs }) => {
    const response = await post("clerk", CLERK_BODY, await standardHeaders(CLERK_BODY));
    equal(response.headers.get("retry-after"), "1");
    const message = await refused(response, 503, "SERVICE_UNAVAILABLE");
    match(message, /delivery store cannot be reached/);
    ok(logs.some(({ level, line }) => level === "error" && line.includes("unavailable")));
    deepEqual(await store.stats(), NOTHING);
  }, { store: unreachable });
});
