import { deepEqual, equal, match } from "node:assert/strict";
import { baseContract } from "@netscript/contracts";
import { RestRoutes } from "./rest_routes.ts";
import { createUsersService } from "./testdata/users_service.ts";

const BASE = "http://service.test";

Deno.test("RestRoutes tells the methods a contract answers on a path", () => {
  const routes = new RestRoutes({
    users: {
      list: baseContract.route({ method: "GET", path: "/users" }),
      create: baseContract.route({ method: "POST", path: "/users" }),
      remove: baseContract.route({ method: "DELETE", path: "/users/{id}" }),
    },
    files: baseContract.route({ method: "PUT", path: "/files/{+path}" }),
    ping: baseContract,
  });
  deepEqual(routes.allowedMethods("/users"), ["GET", "HEAD", "POST"]);
  deepEqual(routes.allowedMethods("/users/"), ["GET", "HEAD", "POST"]);
  deepEqual(routes.allowedMethods("/users/7"), ["DELETE"]);
  deepEqual(routes.allowedMethods("/users/7/x"), []);
  deepEqual(routes.allowedMethods("/files/a/b.txt"), ["PUT"]);
  deepEqual(routes.allowedMethods("/ping"), ["POST"]);
  deepEqual(routes.allowedMethods("/nope"), []);
});

Deno.test("HEAD is answered wherever GET is, REST routes included", async () => {
  const service = createUsersService({ logRequests: false });
  const get = await service.fetch(new Request(`${BASE}/api/users/1`));
  const head = await service.fetch(new Request(`${BASE}/api/users/1`, { method: "HEAD" }));
  equal(head.status, 200);
  equal(head.body, null);
  equal(head.headers.get("content-type"), get.headers.get("content-type"));
  await get.body?.cancel();
  const missing = await service.fetch(new Request(`${BASE}/api/users/99`, { method: "HEAD" }));
  equal(missing.status, 404);
});

Deno.test("a known path asked with another method is 405 with Allow", async (t) => {
  const service = createUsersService({ logRequests: false });
  const cases: [string, string, string][] = [
    ["DELETE", "/api/users/1", "GET, HEAD"],
    ["PUT", "/api/users", "GET, HEAD, POST"],
    ["POST", "/alive", "GET, HEAD"],
    ["DELETE", "/health", "GET, HEAD"],
    ["POST", "/api/openapi.json", "GET, HEAD"],
    ["PUT", "/api/docs", "GET, HEAD"],
  ];
  for (const [method, path, allow] of cases) {
    await t.step(`${method} ${path}`, async () => {
      const response = await service.fetch(new Request(`${BASE}${path}`, { method }));
      equal(response.status, 405);
      equal(response.headers.get("allow"), allow);
      const body = await response.json();
      equal(body.code, "METHOD_NOT_SUPPORTED");
      match(body.message, new RegExp(`does not answer ${method}`));
    });
  }
  await t.step("an unknown path stays 404", async () => {
    const response = await service.fetch(new Request(`${BASE}/api/nothing`, { method: "DELETE" }));
    equal(response.status, 404);
    await response.body?.cancel();
  });
});
