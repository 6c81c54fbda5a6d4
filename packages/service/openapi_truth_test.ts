/**
 * The OpenAPI document says what the service does: each claim below is
 * checked against the service's own answers.
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import { oc } from "@orpc/contract";
import { implement } from "@orpc/server";
import { z } from "zod";
import { createLogger } from "@netscript/telemetry";
import { createService, type Service, type ServiceOpenAPIOptions } from "./mod.ts";

const contract = {
  search: oc.route({ method: "GET", path: "/items" }).input(z.object({
    tags: z.array(z.string()).optional(),
    ids: z.array(z.coerce.number().int()).optional(),
  })).output(
    z.object({ tags: z.array(z.string()).optional(), ids: z.array(z.number()).optional() }),
  ),
  put: oc.route({ method: "POST", path: "/items", successStatus: 201 }).input(z.object({
    payload: z.unknown(),
    extra: z.any(),
    note: z.unknown().optional(),
    at: z.iso.datetime().optional(),
    localAt: z.iso.datetime({ offset: true }).optional(),
  })).output(z.object({ ok: z.boolean() })),
  archive: oc.route({ method: "POST", path: "/items/{id}/archive" })
    .input(z.object({ id: z.string() }))
    .output(z.object({ ok: z.boolean() })),
  anything: oc.route({ method: "POST", path: "/anything" }).input(z.unknown())
    .output(z.object({ received: z.boolean() })),
};
const os = implement(contract).$context<{ headers: Headers }>();
const router = os.router({
  search: os.search.handler(({ input }) => input),
  put: os.put.handler(() => ({ ok: true })),
  archive: os.archive.handler(() => ({ ok: true })),
  anything: os.anything.handler(({ input }) => ({ received: input !== undefined })),
});

function service(openapi?: ServiceOpenAPIOptions, maxBodyBytes?: number): Service {
  return createService({
    name: "truth",
    contract,
    router,
    logger: createLogger({ service: "truth", sink: () => {} }),
    logRequests: false,
    ...(openapi === undefined ? {} : { openapi }),
    ...(maxBodyBytes === undefined ? {} : { maxBodyBytes }),
  });
}

function post(target: Service, body: unknown): Promise<Response> {
  return target.fetch(
    new Request("http://localhost/api/items", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    }),
  );
}

// deno-lint-ignore no-explicit-any
type Json = any;

async function operation(target: Service, method: "get" | "post"): Promise<Json> {
  const document = await target.openapi() as Json;
  return document.paths["/items"][method];
}

Deno.test("an unknown or any property the server requires is required in the document", async () => {
  const target = service();
  const schema = (await operation(target, "post")).requestBody.content["application/json"].schema;
  deepEqual(schema.required?.toSorted(), ["extra", "payload"]);
  const missing = await post(target, { extra: 1 });
  equal(missing.status, 400, "the server refuses it without payload");
  await missing.body?.cancel();
  const present = await post(target, { payload: null, extra: 1 });
  equal(present.status, 201);
  await present.body?.cancel();
});

Deno.test("an unknown input as a whole does not make the body required, as the server does not", async () => {
  const target = service();
  const operation = (await target.openapi() as Json).paths["/anything"].post;
  ok(operation.requestBody?.required !== true, JSON.stringify(operation.requestBody));
  const empty = await target.fetch(
    new Request("http://localhost/api/anything", {
      method: "POST",
      headers: { "content-type": "application/json" },
    }),
  );
  equal(empty.status, 200);
  deepEqual(await empty.json(), { received: false });
});

Deno.test("a query array of one value is an array of one, as the document's form style says", async () => {
  const target = service();
  const get = async (query: string) => {
    const response = await target.fetch(new Request(`http://localhost/api/items?${query}`));
    equal(response.status, 200, query);
    return await response.json();
  };
  deepEqual(await get("tags=a"), { tags: ["a"] });
  deepEqual(await get("tags=a&tags=b"), { tags: ["a", "b"] });
  deepEqual(await get("ids=7"), { ids: [7] }, "the item is still coerced");
  for (const parameter of (await operation(target, "get")).parameters) {
    equal(parameter.style, "form", parameter.name);
    equal(parameter.explode, true, parameter.name);
  }
});

Deno.test("a date-time's pattern in the document accepts exactly what the server accepts", async () => {
  const target = service();
  const properties =
    (await operation(target, "post")).requestBody.content["application/json"].schema.properties;
  const values = [
    "2030-01-01T10:00:00Z",
    "2030-01-01T10:00:00.123Z",
    "2030-01-01T10:00:00+01:00",
    "2030-01-01T10:00:00",
    "2030-02-30T10:00:00Z",
    "tomorrow",
  ];
  for (const field of ["at", "localAt"]) {
    const pattern = new RegExp(properties[field].pattern);
    for (const value of values) {
      const response = await post(target, { payload: 1, extra: 1, [field]: value });
      await response.body?.cancel();
      equal(
        pattern.test(value),
        response.status === 201,
        `${field} = ${value}: ${response.status}`,
      );
    }
  }
});

Deno.test("the document claims no empty query values, names success statuses and the body refusals", async () => {
  const target = service();
  const get = await operation(target, "get");
  ok(get.parameters.every((p: Json) => !("allowEmptyValue" in p)));
  const put = await operation(target, "post");
  equal(put.responses["201"].description, "Created");
  for (
    const [status, code] of [["408", "TIMEOUT"], ["413", "PAYLOAD_TOO_LARGE"], [
      "415",
      "UNSUPPORTED_MEDIA_TYPE",
    ]] as const
  ) {
    const schema = put.responses[status].content["application/json"].schema;
    equal(schema.properties.code.const, code);
    deepEqual(schema.required, ["defined", "code", "status", "message"]);
  }
  equal(get.responses["413"], undefined, "a GET without a body is never refused for it");
  const tooLarge = await service().fetch(
    new Request("http://localhost/api/items", {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: "x",
    }),
  );
  equal(tooLarge.status, 415);
  deepEqual(Object.keys(await tooLarge.json()).toSorted(), [
    "code",
    "defined",
    "message",
    "status",
  ]);
  const unknown = await target.fetch(new Request("http://localhost/api/nowhere"));
  equal(unknown.status, 404);
  equal((await unknown.json()).defined, false, "the routing 404 has the shape of every error");
});

Deno.test("a POST without a declared body documents the 408, 413 and 415 it answers to a body sent anyway", async () => {
  const target = service(undefined, 16);
  const archive = (await target.openapi() as Json).paths["/items/{id}/archive"].post;
  equal(archive.requestBody, undefined);
  for (const status of ["408", "413", "415"]) ok(archive.responses[status], status);
  const send = async (contentType: string, body: string) => {
    const response = await target.fetch(
      new Request("http://localhost/api/items/7/archive", {
        method: "POST",
        headers: { "content-type": contentType },
        body,
      }),
    );
    return { status: response.status, code: (await response.json()).code };
  };
  deepEqual(await send("text/plain", "x"), { status: 415, code: "UNSUPPORTED_MEDIA_TYPE" });
  deepEqual(await send("application/json", JSON.stringify({ note: "x".repeat(16) })), {
    status: 413,
    code: "PAYLOAD_TOO_LARGE",
  });
  deepEqual(await send("application/json", "{}"), { status: 200, code: undefined });
});

Deno.test("createService({ openapi }) puts license, contact, servers, tags and security in the document", async () => {
  const plain = await service().openapi() as Json;
  deepEqual(plain.security, [], "a service that checks no credentials says so");
  deepEqual(plain.servers, [{ url: "/api" }]);
  const document = await service({
    license: { name: "MIT", identifier: "MIT" },
    contact: { name: "Ops", email: "ops@example.com" },
    termsOfService: "https://example.com/terms",
    servers: [{ url: "https://api.example.com/", description: "production" }],
    tags: [{ name: "items", description: "Things" }],
    securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
    security: [{ bearer: [] }],
  }).openapi() as Json;
  deepEqual(document.info.license, { name: "MIT", identifier: "MIT" });
  deepEqual(document.info.contact, { name: "Ops", email: "ops@example.com" });
  equal(document.info.termsOfService, "https://example.com/terms");
  deepEqual(document.servers, [{ url: "https://api.example.com/api", description: "production" }]);
  deepEqual(document.tags, [{ name: "items", description: "Things" }]);
  deepEqual(document.components.securitySchemes.bearer, {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
  });
  deepEqual(document.security, [{ bearer: [] }]);
});
