import { deepEqual, equal, match } from "node:assert/strict";
import { createUsersService } from "./testdata/users_service.ts";

const BASE = "http://service.test";
const JSON_TYPE = { "content-type": "application/json" };

/** A mount that answers with the body it received. */
const echo = {
  prefix: "/v1/stream/",
  async fetch(request: Request): Promise<Response> {
    return new Response(await request.text(), { status: 201 });
  },
};

function post(path: string, body: BodyInit, headers: HeadersInit): Request {
  return new Request(`${BASE}${path}`, { method: "POST", body, headers });
}

Deno.test("REST routes refuse form, multipart and text bodies with 415", async (t) => {
  const service = createUsersService({ logRequests: false });
  const form = new FormData();
  form.set("name", "Mallory");
  form.set("age", "1");
  const cases: [string, Request][] = [
    [
      "a form-encoded body",
      post("/api/users", "name=Mallory&age=1", {
        "content-type": "application/x-www-form-urlencoded",
      }),
    ],
    ["a multipart body", new Request(`${BASE}/api/users`, { method: "POST", body: form })],
    [
      "a text/plain body",
      post("/api/users", '{"name":"Mallory","age":1}', {
        "content-type": "text/plain",
      }),
    ],
  ];
  for (const [label, request] of cases) {
    await t.step(label, async () => {
      const response = await service.fetch(request);
      equal(response.status, 415);
      const body = await response.json();
      equal(body.code, "UNSUPPORTED_MEDIA_TYPE");
      match(body.message, /application\/json/);
    });
  }
  await t.step("JSON, with or without a charset, is served", async () => {
    const response = await service.fetch(
      post("/api/users", '{"name":"Ada","age":36}', {
        "content-type": "application/json; charset=utf-8",
      }),
    );
    equal(response.status, 200);
  });
});

Deno.test("state-changing requests from another site are refused with 403", async (t) => {
  const service = createUsersService({ logRequests: false });
  const body = JSON.stringify({ name: "Mallory", age: 1 });
  const rpcBody = JSON.stringify({ json: { name: "Mallory", age: 1 } });
  const cases: [string, string, string, HeadersInit][] = [
    ["REST, Sec-Fetch-Site: cross-site", "/api/users", body, { "sec-fetch-site": "cross-site" }],
    ["RPC, Sec-Fetch-Site: cross-site", "/api/rpc/users/create", rpcBody, {
      "sec-fetch-site": "cross-site",
    }],
    ["RPC, Sec-Fetch-Site: same-site", "/api/rpc/users/create", rpcBody, {
      "sec-fetch-site": "same-site",
    }],
    ["REST, another Origin", "/api/users", body, { origin: "https://evil.example" }],
    ["RPC, Origin: null", "/api/rpc/users/create", rpcBody, { origin: "null" }],
  ];
  for (const [label, path, payload, headers] of cases) {
    await t.step(label, async () => {
      const response = await service.fetch(post(path, payload, { ...JSON_TYPE, ...headers }));
      equal(response.status, 403);
      equal((await response.json()).code, "FORBIDDEN");
    });
  }
  await t.step(
    "the service's own origin, a typed navigation and non-browser clients pass",
    async () => {
      for (const headers of [{ "sec-fetch-site": "same-origin" }, { origin: BASE }, {}]) {
        const response = await service.fetch(
          post("/api/users", body, { ...JSON_TYPE, ...headers }),
        );
        equal(response.status, 200, JSON.stringify(headers));
      }
    },
  );
  await t.step("reads from another site are not refused", async () => {
    const response = await service.fetch(
      new Request(`${BASE}/api/users/1`, { headers: { "sec-fetch-site": "cross-site" } }),
    );
    equal(response.status, 200);
  });
});

Deno.test("mounts receive form bodies and cross-site requests unchanged", async () => {
  const service = createUsersService({ logRequests: false, mounts: [echo] });
  const response = await service.fetch(
    post("/v1/stream/x", "a=1", {
      "content-type": "application/x-www-form-urlencoded",
      "sec-fetch-site": "cross-site",
    }),
  );
  equal(response.status, 201);
  deepEqual(await response.text(), "a=1");
});
