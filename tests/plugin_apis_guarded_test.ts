/**
 * What each first-party plugin API requires once the workspace is guarded:
 * `workers-api`, `sagas-api` and `triggers-api`'s management routes a
 * caller for everything; `streams-api` a caller for writes only, its reads
 * open; the triggers' webhook ingress nothing (its signatures are its
 * proof). Each service runs in process on a memory store with a guard that
 * accepts the workspace's service credentials; a caller with none is 401,
 * one with a credential from another secret too.
 */
import { equal, notEqual } from "node:assert/strict";
import { mintServiceCredential, serviceSecretKey } from "@netscript/contracts/credential";
import { createSagasService } from "@netscript/plugin-sagas";
import { createMemorySagaStore } from "@netscript/plugin-sagas-core/memory";
import { createStreamsService } from "@netscript/plugin-streams";
import { createMemoryStreamStore } from "@netscript/plugin-streams-core/memory";
import { createTriggersService } from "@netscript/plugin-triggers";
import { defineWebhook, triggersByName, unverified } from "@netscript/plugin-triggers-core";
import { createMemoryDeliveryStore } from "@netscript/plugin-triggers-core/memory";
import { createWorkersService } from "@netscript/plugin-workers";
import { MemoryJobQueue } from "@netscript/plugin-workers-core/memory";
import { createGuard, type Service } from "@netscript/service";
import { createLogger } from "@netscript/telemetry";

const key = serviceSecretKey("the-workspace-secret-of-at-least-32-characters")!;
const logger = createLogger({ service: "test", sink: () => {} });

/** A guard that takes the workspace's credentials; no session can be checked (auth-api is not asked). */
const guard = () =>
  createGuard({ authUrl: "http://127.0.0.1:9", serviceSecret: key, cacheTtlMs: 0, logger });

/** Asks `service` without a credential, with one from another secret, and with the workspace's. */
async function asked(service: Service, method: string, path: string, body?: string) {
  const send = async (authorization?: string) => {
    const response = await service.fetch(
      new Request(`http://127.0.0.1/${path.replace(/^\//, "")}`, {
        method,
        headers: {
          "content-type": "application/json",
          ...(authorization === undefined ? {} : { authorization }),
        },
        ...(body === undefined ? {} : { body }),
      }),
    );
    await response.body?.cancel();
    return response.status;
  };
  const other = serviceSecretKey("x".repeat(40))!;
  return {
    anonymous: await send(),
    forged: await send(`Bearer ${await mintServiceCredential(other, "intruder")}`),
    credential: await send(`Bearer ${await mintServiceCredential(key, "trigger-processor")}`),
  };
}

function requiresCaller(statuses: { anonymous: number; forged: number; credential: number }) {
  equal(statuses.anonymous, 401);
  equal(statuses.forged, 401);
  notEqual(statuses.credential, 401);
  notEqual(statuses.credential, 403);
}

Deno.test("workers-api: every route needs a caller; its document and health stay open", async () => {
  const service = createWorkersService({ queue: new MemoryJobQueue(), jobs: [], guard: guard() });
  requiresCaller(await asked(service, "GET", "/api/jobs"));
  requiresCaller(await asked(service, "GET", "/api/v1/jobs"));
  requiresCaller(await asked(service, "POST", "/api/rpc/jobs/list", "{}"));
  equal((await asked(service, "GET", "/api/openapi.json")).anonymous, 200);
  equal((await asked(service, "GET", "/health")).anonymous, 200);
});

Deno.test("sagas-api: every route needs a caller", async () => {
  const store = createMemorySagaStore();
  try {
    const service = createSagasService({ store, sagas: [], guard: guard(), logger });
    requiresCaller(await asked(service, "GET", "/api/sagas"));
    requiresCaller(await asked(service, "GET", "/api/stats"));
  } finally {
    await store.close();
  }
});

Deno.test("triggers-api: management routes need a caller; the webhook ingress does not", async () => {
  const ping = defineWebhook({ name: "ping", verify: unverified(), dispatch: () => null });
  const store = createMemoryDeliveryStore();
  try {
    const service = createTriggersService({
      store,
      triggers: triggersByName([{ file: "triggers/ping.ts", definition: ping }]),
      guard: guard(),
      logger,
    });
    requiresCaller(await asked(service, "GET", "/api/triggers"));
    requiresCaller(await asked(service, "GET", "/api/deliveries"));
    const hook = await asked(service, "POST", "/hooks/ping", "{}");
    equal(hook.anonymous, 202, "a webhook is not asked for a session");
  } finally {
    await store.close();
  }
});

Deno.test("streams-api: writes need a caller; reads stay open", async () => {
  const store = await createMemoryStreamStore();
  try {
    const service = createStreamsService({ store, topics: [], guard: guard(), logger });
    const created = await asked(service, "PUT", "/v1/stream/orders");
    requiresCaller(created);
    equal(created.credential, 201);
    requiresCaller(await asked(service, "POST", "/v1/stream/orders", '{"id":1}'));
    equal((await asked(service, "GET", "/v1/stream/orders?offset=-1")).anonymous, 200);
    equal((await asked(service, "GET", "/api/topics")).anonymous, 200);
  } finally {
    await store.close();
  }
});
