import { deepEqual, equal, ok, rejects, throws } from "node:assert/strict";
import { oc } from "@orpc/contract";
import { implement } from "@orpc/server";
import { z } from "zod";
import { isNetScriptError } from "@netscript/contracts";
import { defineServices } from "@netscript/sdk";
import { createLogger } from "@netscript/telemetry";
import { createService, type Service } from "./mod.ts";

// v1 returned a note's text as `body`; v2 calls it `text` and adds `tags`.
const v1 = {
  notes: {
    get: oc.route({ method: "GET", path: "/notes/{id}" }).input(z.object({ id: z.string() }))
      .output(z.object({ id: z.string(), body: z.string() })),
  },
};
const v2 = {
  notes: {
    get: oc.route({ method: "GET", path: "/notes/{id}" }).input(z.object({ id: z.string() }))
      .output(z.object({ id: z.string(), text: z.string(), tags: z.array(z.string()) })),
  },
};
const v1os = implement(v1).$context<{ headers: Headers }>();
const v2os = implement(v2).$context<{ headers: Headers }>();
const v1Router = v1os.router({
  notes: { get: v1os.notes.get.handler(({ input }) => ({ id: input.id, body: "hello" })) },
});
const v2Router = v2os.router({
  notes: {
    get: v2os.notes.get.handler(({ input }) => ({ id: input.id, text: "hello", tags: ["a"] })),
  },
});

const SINCE = new Date("2026-06-01T00:00:00Z");
const SUNSET = new Date("2027-01-01T00:00:00Z");

function notesService(): Service {
  return createService({
    name: "notes",
    version: "2.0.0",
    contract: v2,
    router: v2Router,
    currentVersion: "v2",
    versions: {
      v1: {
        contract: v1,
        router: v1Router,
        deprecated: { since: SINCE, sunset: SUNSET, link: "https://example.com/move-to-v2" },
      },
    },
    logger: createLogger({ service: "notes", sink: () => {} }),
    logRequests: false,
  });
}

async function get(service: Service, path: string): Promise<Response> {
  return await service.fetch(new Request(`http://localhost${path}`));
}

Deno.test("each version answers at its own prefix; the current one also at /api", async () => {
  const service = notesService();
  deepEqual(await (await get(service, "/api/v1/notes/n1")).json(), { id: "n1", body: "hello" });
  for (const path of ["/api/notes/n1", "/api/v2/notes/n1"]) {
    deepEqual(await (await get(service, path)).json(), { id: "n1", text: "hello", tags: ["a"] });
  }
  const rpc = await service.fetch(
    new Request("http://localhost/api/v1/rpc/notes/get", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"json":{"id":"n2"}}',
    }),
  );
  deepEqual(await rpc.json(), { json: { id: "n2", body: "hello" } });
});

Deno.test("a deprecated version says so in every answer and in its document", async () => {
  const service = notesService();
  for (const path of ["/api/v1/notes/n1", "/api/v1/nowhere", "/api/v1/openapi.json"]) {
    const response = await get(service, path);
    await response.body?.cancel();
    equal(response.headers.get("deprecation"), `@${SINCE.getTime() / 1_000}`, path);
    equal(response.headers.get("sunset"), "Fri, 01 Jan 2027 00:00:00 GMT", path);
    equal(
      response.headers.get("link"),
      '<https://example.com/move-to-v2>; rel="deprecation"',
      path,
    );
  }
  const current = await get(service, "/api/notes/n1");
  await current.body?.cancel();
  equal(current.headers.get("deprecation"), null);

  // deno-lint-ignore no-explicit-any
  const old = await (await get(service, "/api/v1/openapi.json")).json() as any;
  equal(old.info.version, "v1");
  deepEqual(old.servers, [{ url: "/api/v1" }]);
  equal(old.paths["/notes/{id}"].get.deprecated, true);
  equal(old.paths["/notes/{id}"].get["x-sunset"], "2027-01-01");
  deepEqual(JSON.parse(JSON.stringify(await service.openapi("v1"))), old);
  // deno-lint-ignore no-explicit-any
  const latest = await service.openapi() as any;
  equal(latest.paths["/notes/{id}"].get.deprecated, undefined);
  deepEqual(latest.servers, [{ url: "/api" }]);
  // deno-lint-ignore no-explicit-any
  deepEqual((await service.openapi("v2") as any).servers, [{ url: "/api/v2" }]);
  const page = await get(service, "/api/v1/docs");
  equal(page.status, 200);
  ok((await page.text()).includes("notes API reference"));
  await rejects(
    service.openapi("v9"),
    (error) => isNetScriptError(error, "SERVICE_INVALID_VERSION"),
  );
});

Deno.test("a client picks its version; each gets the shape of its own contract", async () => {
  const service = notesService();
  const { clients } = defineServices({
    old: { contract: v1, url: "http://notes.local", version: "v1" },
    current: { contract: v2, url: "http://notes.local" },
    pinned: { contract: v2, url: "http://notes.local", version: "v2" },
  }, { fetch: (request) => service.fetch(request) });
  deepEqual(await clients.old.notes.get({ id: "n1" }), { id: "n1", body: "hello" });
  deepEqual(await clients.current.notes.get({ id: "n1" }), {
    id: "n1",
    text: "hello",
    tags: ["a"],
  });
  deepEqual(await clients.pinned.notes.get({ id: "n1" }), { id: "n1", text: "hello", tags: ["a"] });
});

Deno.test("version names are v and a number, once each, and the current contract leaves their paths alone", () => {
  const base = {
    name: "notes",
    contract: v2,
    router: v2Router,
    logger: createLogger({ service: "notes", sink: () => {} }),
  };
  for (const name of ["1", "version1", "v0", "V1", "v1/x", ""]) {
    throws(
      () => createService({ ...base, versions: { [name]: { contract: v1, router: v1Router } } }),
      (error) => isNetScriptError(error, "SERVICE_INVALID_VERSION"),
      name,
    );
  }
  throws(
    () =>
      createService({
        ...base,
        currentVersion: "v1",
        versions: { v1: { contract: v1, router: v1Router } },
      }),
    (error) => isNetScriptError(error, "SERVICE_INVALID_VERSION"),
  );
  const clashing = {
    legacy: oc.route({ method: "GET", path: "/v1/ping" }).output(z.string()),
  };
  const clashingOs = implement(clashing).$context<{ headers: Headers }>();
  throws(
    () =>
      createService({
        ...base,
        contract: clashing,
        router: clashingOs.router({ legacy: clashingOs.legacy.handler(() => "pong") }),
        versions: { v1: { contract: v1, router: v1Router } },
      }),
    (error) =>
      isNetScriptError(error, "SERVICE_RESERVED_ROUTE") && error.message.includes("API version v1"),
  );
});
