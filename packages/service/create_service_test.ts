import { deepEqual, equal, match, ok, throws } from "node:assert/strict";
import { baseContract, isNetScriptError } from "@netscript/contracts";
import { createService, implement } from "./mod.ts";
import { captureLogger } from "./testdata/capture_logger.ts";
import { createUsersService } from "./testdata/users_service.ts";

const BASE = "http://service.test";

function call(
  service: { fetch(request: Request): Promise<Response> },
  method: string,
  path: string,
  body?: unknown,
): Promise<Response> {
  return service.fetch(
    new Request(`${BASE}${path}`, {
      method,
      ...(body === undefined ? {} : {
        body: typeof body === "string" ? body : JSON.stringify(body),
        headers: { "content-type": "application/json" },
      }),
    }),
  );
}

Deno.test("REST routes serve each procedure at /api + its route", async (t) => {
  const service = createUsersService({ logRequests: false });
  await t.step("GET with query-string pagination", async () => {
    const response = await call(service, "GET", "/api/users?limit=1&offset=1");
    equal(response.status, 200);
    deepEqual(await response.json(), {
      items: [{ id: "2", name: "Grace", age: 45 }],
      total: 2,
      limit: 1,
      offset: 1,
    });
  });
  await t.step("GET with a path parameter", async () => {
    const response = await call(service, "GET", "/api/users/1");
    deepEqual(await response.json(), { id: "1", name: "Ada", age: 36 });
  });
  await t.step("POST with a JSON body", async () => {
    const response = await call(service, "POST", "/api/users", { name: "Linus", age: 54 });
    equal(response.status, 200);
    deepEqual(await response.json(), { id: "3", name: "Linus", age: 54 });
  });
});

Deno.test("the RPC protocol is served under /api/rpc", async () => {
  const service = createUsersService({ logRequests: false });
  const response = await call(service, "POST", "/api/rpc/users/get", { json: { id: "2" } });
  equal(response.status, 200);
  deepEqual(await response.json(), { json: { id: "2", name: "Grace", age: 45 } });
});

Deno.test("invalid input is a 400 BAD_REQUEST with the validation issues", async (t) => {
  const service = createUsersService({ logRequests: false });
  await t.step("over REST (query string)", async () => {
    const response = await call(service, "GET", "/api/users?limit=500");
    equal(response.status, 400);
    const body = await response.json();
    equal(body.code, "BAD_REQUEST");
    equal(body.defined, true);
    deepEqual(body.data.issues.map((i: { path: unknown }) => i.path), [["limit"]]);
    match(body.data.issues[0].message, /100/);
  });
  await t.step("over REST (JSON body)", async () => {
    const response = await call(service, "POST", "/api/users", { name: "", age: 1.5 });
    equal(response.status, 400);
    const body = await response.json();
    deepEqual(body.data.issues.map((i: { path: unknown }) => i.path).sort(), [["age"], ["name"]]);
  });
  await t.step("over REST (malformed JSON)", async () => {
    const response = await call(service, "POST", "/api/users", "{not json");
    equal(response.status, 400);
    equal((await response.json()).code, "BAD_REQUEST");
  });
  await t.step("over RPC", async () => {
    const response = await call(service, "POST", "/api/rpc/users/create", { json: { age: "x" } });
    equal(response.status, 400);
    const { json } = await response.json();
    equal(json.code, "BAD_REQUEST");
    deepEqual(json.data.issues.map((i: { path: unknown }) => i.path).sort(), [["age"], ["name"]]);
  });
});

Deno.test("errors declared in the contract keep their status and data", async () => {
  const service = createUsersService({ logRequests: false });
  const response = await call(service, "GET", "/api/users/99");
  equal(response.status, 404);
  const body = await response.json();
  equal(body.code, "NOT_FOUND");
  deepEqual(body.data, { resource: "user", id: "99" });
});

Deno.test("an unknown route is a 404 JSON error", async (t) => {
  const service = createUsersService({ logRequests: false });
  for (
    const [method, path] of [["GET", "/nope"], ["GET", "/api/nope"], ["POST", "/api/rpc/nope"]]
  ) {
    await t.step(`${method} ${path}`, async () => {
      const response = await call(service, method!, path!, method === "POST" ? {} : undefined);
      equal(response.status, 404);
      match(response.headers.get("content-type") ?? "", /application\/json/);
      equal((await response.json()).code, "NOT_FOUND");
    });
  }
});

Deno.test("a body over the limit is a 413", async (t) => {
  await t.step("with the default 1 MiB limit", async () => {
    const service = createUsersService({ logRequests: false });
    const name = "x".repeat(1_048_576);
    const response = await call(service, "POST", "/api/users", { name, age: 1 });
    equal(response.status, 413);
    equal((await response.json()).code, "PAYLOAD_TOO_LARGE");
  });
  await t.step("with a configured limit, for REST and RPC", async () => {
    const service = createUsersService({ logRequests: false, maxBodyBytes: 64 });
    const name = "y".repeat(100);
    equal((await call(service, "POST", "/api/users", { name, age: 1 })).status, 413);
    const rpc = await call(service, "POST", "/api/rpc/users/create", { json: { name, age: 1 } });
    equal(rpc.status, 413);
    equal((await call(service, "POST", "/api/users", { name: "ok", age: 1 })).status, 200);
  });
});

Deno.test("a handler's unexpected error is a generic 500; the stack is logged, never sent", async () => {
  const { logger, records } = captureLogger();
  const service = createUsersService({ logger });
  for (const path of ["/api/fail", "/api/rpc/fail"]) {
    const response = await call(service, path.includes("rpc") ? "POST" : "GET", path, undefined);
    equal(response.status, 500);
    const text = await response.text();
    ok(!text.includes("hunter2"), "the error message must not leak");
    ok(!text.includes("users_service.ts"), "the stack must not leak");
    match(text, /Internal server error/);
  }
  const failures = records.filter((r) => r.msg === "procedure failed");
  equal(failures.length, 2);
  const error = failures[0]!.error as { message: string; stack: string };
  equal(error.message, "database password is hunter2");
  match(error.stack, /users_service\.ts/);
  equal(failures[0]!.procedure, "fail");
});

Deno.test("an output that breaks the contract is a 500 and is logged", async () => {
  const { logger, records } = captureLogger();
  const service = createUsersService({ logger });
  const response = await call(service, "GET", "/api/bad-output");
  equal(response.status, 500);
  const body = await response.json();
  equal(body.code, "INTERNAL_SERVER_ERROR");
  equal(body.defined, false, "a server bug is never a declared error");
  equal(body.message, "Internal server error");
  const logged = records.find((r) => r.msg === "procedure output does not match its contract");
  equal(logged?.procedure, "badOutput");
  ok(Array.isArray(logged?.issues) && logged.issues.length > 0);
});

Deno.test("one structured log line is written per request", async () => {
  const { logger, records } = captureLogger();
  const service = createUsersService({ logger });
  await call(service, "GET", "/api/users/1");
  await call(service, "GET", "/missing");
  const lines = records.filter((r) => r.msg === "request");
  equal(lines.length, 2);
  const [first, second] = lines;
  deepEqual(
    { method: first!.method, path: first!.path, status: first!.status, service: first!.service },
    { method: "GET", path: "/api/users/1", status: 200, service: "users" },
  );
  equal(typeof first!.durationMs, "number");
  equal(second!.status, 404);
});

Deno.test("request logging can be turned off", async () => {
  const { logger, records } = captureLogger();
  const service = createUsersService({ logger, logRequests: false });
  await call(service, "GET", "/api/users/1");
  equal(records.length, 0);
});

Deno.test("GET /alive answers while the process runs", async () => {
  const service = createUsersService({ logRequests: false });
  const response = await call(service, "GET", "/alive");
  equal(response.status, 200);
  deepEqual(await response.json(), { status: "alive" });
});

Deno.test("GET /health runs the registered checks", async (t) => {
  await t.step("200 when every check passes", async () => {
    const service = createUsersService({
      logRequests: false,
      healthChecks: { db: () => {}, cache: () => Promise.resolve(true) },
    });
    const response = await call(service, "GET", "/health");
    equal(response.status, 200);
    const report = await response.json();
    equal(report.status, "pass");
    deepEqual(report.checks.map((c: { name: string; status: string }) => [c.name, c.status]), [
      ["db", "pass"],
      ["cache", "pass"],
    ]);
    deepEqual(report.failing, []);
  });
  await t.step("503 with the failing checks and why", async () => {
    const service = createUsersService({
      logRequests: false,
      healthCheckTimeoutMs: 50,
      healthChecks: {
        db: () => {
          throw new Error("connection refused");
        },
        cache: () => false,
        queue: () => {},
        slow: (signal) =>
          new Promise((resolve) => {
            const timer = setTimeout(resolve, 5_000);
            signal.addEventListener("abort", () => clearTimeout(timer));
          }),
      },
    });
    const response = await call(service, "GET", "/health");
    equal(response.status, 503);
    const report = await response.json();
    equal(report.status, "fail");
    deepEqual(report.failing, ["db", "cache", "slow"]);
    const errors = Object.fromEntries(
      report.checks.map((c: { name: string; error?: string }) => [c.name, c.error]),
    );
    equal(errors.db, "connection refused");
    equal(errors.cache, "the check returned false");
    match(errors.slow, /timed out after 50 ms/);
    equal(errors.queue, undefined);
  });
});

Deno.test("GET /api/openapi.json is generated from the contract", async () => {
  const service = createUsersService({ logRequests: false });
  const response = await call(service, "GET", "/api/openapi.json");
  equal(response.status, 200);
  const document = await response.json();
  match(document.openapi, /^3\./);
  deepEqual(document.info, { title: "users", version: "1.2.3" });
  deepEqual(document.servers, [{ url: "/api" }]);
  deepEqual(Object.keys(document.paths).sort(), [
    "/bad-output",
    "/fail",
    "/slow",
    "/users",
    "/users/{id}",
  ]);
  const list = document.paths["/users"].get;
  equal(list.summary, "List users");
  const limit = list.parameters.find((p: { name: string }) => p.name === "limit");
  deepEqual(
    { in: limit.in, ...limit.schema },
    { in: "query", type: "integer", minimum: 1, maximum: 100, default: 20 },
  );
  const get = document.paths["/users/{id}"].get;
  deepEqual(Object.keys(get.responses).sort(), [
    "200",
    "400",
    "401",
    "403",
    "404",
    "409",
    "429",
    "500",
    "503",
  ]);
  equal(
    get.responses["404"].content["application/json"].schema.oneOf[0].properties.code.const,
    "NOT_FOUND",
  );
  equal(get.responses["404"].description, "NOT_FOUND: Not found");
  equal(get.responses["400"].description, "BAD_REQUEST: Input validation failed");
  deepEqual(JSON.parse(JSON.stringify(await service.openapi())), document);
});

Deno.test("GET /api/docs serves the Scalar reference with no external URL", async (t) => {
  const service = createUsersService({ logRequests: false });
  await t.step("the page", async () => {
    const response = await call(service, "GET", "/api/docs");
    equal(response.status, 200);
    equal(response.headers.get("content-type"), "text/html; charset=utf-8");
    const html = await response.text();
    match(html, /<title>users API reference<\/title>/);
    match(html, /<script src="docs\/scalar\.js"/);
    match(html, /"url":"openapi\.json"/);
    match(html, /"withDefaultFonts":false/);
    ok(!/https?:\/\//.test(html), "the page must not reference another origin");
  });
  await t.step("the script, from the installed @scalar/api-reference", async () => {
    const response = await call(service, "GET", "/api/docs/scalar.js");
    equal(response.status, 200);
    equal(response.headers.get("content-type"), "text/javascript; charset=utf-8");
    const script = await response.text();
    ok(script.length > 1_000_000);
    match(script, /createApiReference/);
  });
  await t.step("a trailing slash redirects to the page", async () => {
    const response = await call(service, "GET", "/api/docs/");
    equal(response.status, 308);
    equal(response.headers.get("location"), "../docs");
    equal(new URL("../docs", `${BASE}/api/docs/`).href, `${BASE}/api/docs`);
  });
});

Deno.test("createService() rejects procedures on the paths it serves itself", async (t) => {
  const cases = {
    "a route under /rpc": { x: baseContract.route({ method: "GET", path: "/rpc/x" }) },
    "a route at /docs": { x: baseContract.route({ method: "GET", path: "/docs" }) },
    "a procedure named docs with no route": { docs: baseContract },
    "a route at /openapi.json": { x: baseContract.route({ path: "/openapi.json" }) },
  };
  for (const [label, contract] of Object.entries(cases)) {
    await t.step(label, () => {
      const os = implement(contract as Record<string, typeof baseContract>);
      throws(
        () =>
          createService({
            name: "s",
            contract: contract as Record<string, typeof baseContract>,
            router: os.router(
              Object.fromEntries(
                Object.keys(contract).map((key) => [key, os[key]!.handler(() => undefined)]),
              ),
            ),
          }),
        (error: unknown) => isNetScriptError(error, "SERVICE_RESERVED_ROUTE"),
      );
    });
  }
});

Deno.test("HEAD is answered on the service's own endpoints", async () => {
  const service = createUsersService({ logRequests: false });
  for (const path of ["/alive", "/health", "/api/openapi.json", "/api/docs"]) {
    const response = await call(service, "HEAD", path);
    equal(response.status, 200, path);
    equal(response.body, null, `HEAD ${path} has no body`);
  }
});
