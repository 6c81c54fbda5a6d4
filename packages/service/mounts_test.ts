import { deepEqual, equal, throws } from "node:assert/strict";
import { isNetScriptError } from "@netscript/contracts";
import { captureLogger } from "./testdata/capture_logger.ts";
import { createUsersService } from "./testdata/users_service.ts";

const BASE = "http://service.test";

/** A mounted handler that echoes what it received, byte for byte. */
const echo = {
  prefix: "/v1/stream/",
  async fetch(request: Request): Promise<Response> {
    const body = new Uint8Array(await request.arrayBuffer());
    return new Response(body, {
      status: 201,
      headers: { "x-path": new URL(request.url).pathname, "x-method": request.method },
    });
  },
};

Deno.test("a mount answers every path under its prefix with the request unchanged", async () => {
  const service = createUsersService({ logRequests: false, mounts: [echo] });
  const raw = new Uint8Array([0, 255, 10, 13, 123]);
  const response = await service.fetch(
    new Request(`${BASE}/v1/stream/a/b?offset=-1`, { method: "POST", body: raw }),
  );
  equal(response.status, 201);
  equal(response.headers.get("x-path"), "/v1/stream/a/b");
  deepEqual(new Uint8Array(await response.arrayBuffer()), raw);
});

Deno.test("a service with mounts keeps its contract routes and own endpoints", async () => {
  const service = createUsersService({ logRequests: false, mounts: [echo] });
  equal((await service.fetch(new Request(`${BASE}/api/users/1`))).status, 200);
  equal((await service.fetch(new Request(`${BASE}/alive`))).status, 200);
  equal((await service.fetch(new Request(`${BASE}/v1/other`))).status, 404);
});

Deno.test("requests to a mount are logged like every request", async () => {
  const { logger, records } = captureLogger();
  const service = createUsersService({ logger, mounts: [echo] });
  await (await service.fetch(new Request(`${BASE}/v1/stream/x`, { method: "PUT" }))).body
    ?.cancel();
  const line = records.find((entry) => entry.msg === "request");
  deepEqual(
    [line?.method, line?.path, line?.status],
    ["PUT", "/v1/stream/x", 201],
  );
});

Deno.test("createService() refuses a mount prefix that would shadow a route", async (t) => {
  const cases: [string, RegExp][] = [
    ["/api/streams/", /under \/api\//],
    ["/", /starts and ends with \//],
    ["/v1/stream", /starts and ends with \//],
    ["/health/", /shadow \/health/],
  ];
  for (const [prefix, reason] of cases) {
    await t.step(prefix, () => {
      throws(
        () => createUsersService({ mounts: [{ prefix, fetch: echo.fetch }] }),
        (error) =>
          isNetScriptError(error, "SERVICE_RESERVED_ROUTE") && reason.test(error.message) &&
          error.details.prefix === prefix,
      );
    });
  }
  await t.step("one mount covering another", () => {
    throws(
      () =>
        createUsersService({
          mounts: [{ prefix: "/v1/", fetch: echo.fetch }, echo],
        }),
      (error) =>
        isNetScriptError(error, "SERVICE_RESERVED_ROUTE") && /covers the mount/.test(error.message),
    );
  });
});
