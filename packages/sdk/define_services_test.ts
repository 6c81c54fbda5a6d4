import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { isNetScriptError } from "@netscript/contracts";
import { SpanKind } from "@opentelemetry/api";
import { ORPCError } from "@orpc/client";
import { spansNamed, useInMemoryTracing } from "../../tests/support/tracing.ts";
import { createUsersService, usersContract } from "../service/testdata/users_service.ts";
import { capturedLogger } from "../../tests/support/captured_logger.ts";
import { defineServices, isDefinedError, safe } from "./mod.ts";

const exporter = useInMemoryTracing();

function inProcess() {
  const service = createUsersService({
    logRequests: false,
    logger: capturedLogger("users").logger,
  });
  const requests: Request[] = [];
  const fetch = (request: Request) => {
    requests.push(request);
    return service.fetch(request);
  };
  return { fetch, requests };
}

Deno.test("clients call each procedure over RPC at <url>/api/rpc", async () => {
  const { fetch, requests } = inProcess();
  const { clients } = defineServices(
    { users: { contract: usersContract, url: "http://users.test/" } },
    { fetch },
  );
  deepEqual(await clients.users.users.get({ id: "1" }), { id: "1", name: "Ada", age: 36 });
  const page = await clients.users.users.list({ limit: 1 });
  deepEqual(page.items.map((u) => u.name), ["Ada"]);
  deepEqual(requests.map((r) => new URL(r.url).pathname), [
    "/api/rpc/users/get",
    "/api/rpc/users/list",
  ]);
});

Deno.test("the base URL comes from Aspire's variables, looked up at the first call", async () => {
  const { fetch, requests } = inProcess();
  const variables: Record<string, string> = {};
  const { clients } = defineServices(
    { users: { contract: usersContract } },
    { fetch, env: (name) => variables[name] },
  );
  variables["services__users__http__0"] = "http://discovered.test:8091";
  await clients.users.users.get({ id: "2" });
  equal(requests[0]!.url, "http://discovered.test:8091/api/rpc/users/get");
});

Deno.test("a call fails with SERVICE_URL_NOT_FOUND when no URL can be found", async () => {
  const { clients } = defineServices({ users: { contract: usersContract } }, {
    env: () => undefined,
  });
  await rejects(clients.users.users.get({ id: "1" }), (error: unknown) => {
    ok(isNetScriptError(error, "SERVICE_URL_NOT_FOUND"));
    ok(error.message.includes("services__users__http__0"));
    ok(error.message.includes("USERS_HTTP"));
    return true;
  });
});

Deno.test("errors declared in the contract arrive typed", async () => {
  const { fetch } = inProcess();
  const { clients } = defineServices({ users: { contract: usersContract, url: "http://u.test" } }, {
    fetch,
  });
  const { error, data } = await safe(clients.users.users.get({ id: "404" }));
  equal(data, undefined);
  ok(isDefinedError(error));
  equal(error.code, "NOT_FOUND");
  equal(error.status, 404);
  deepEqual(error.data, { resource: "user", id: "404" });
  const invalid = await safe(clients.users.users.list({ limit: 1000 }));
  ok(isDefinedError(invalid.error));
  equal(invalid.error.code, "BAD_REQUEST");
  if (invalid.error.code === "BAD_REQUEST") {
    deepEqual(invalid.error.data.issues[0]!.path, ["limit"]);
  }
});

Deno.test("an unexpected server failure arrives as an undefined 500 error", async () => {
  const { fetch } = inProcess();
  const { clients } = defineServices({ users: { contract: usersContract, url: "http://u.test" } }, {
    fetch,
  });
  const { error } = await safe(clients.users.fail());
  ok(!isDefinedError(error));
  ok(error instanceof ORPCError);
  equal(error.status, 500);
  equal(error.code, "INTERNAL_SERVER_ERROR");
  equal(error.message, "Internal server error");
});

Deno.test("calls propagate the caller's trace to the service", async () => {
  exporter.reset();
  const { fetch } = inProcess();
  const { clients } = defineServices({ users: { contract: usersContract, url: "http://u.test" } }, {
    fetch,
  });
  await clients.users.users.get({ id: "1" });
  const spans = spansNamed("users.get");
  const client = spans.find((s) => s.kind === SpanKind.CLIENT);
  const server = spans.find((s) => s.kind === SpanKind.SERVER);
  ok(client && server);
  equal(server.spanContext().traceId, client.spanContext().traceId);
  equal(server.parentSpanContext?.spanId, client.spanContext().spanId);
  equal(client.attributes["rpc.service"], "users");
});

Deno.test("a call slower than the timeout fails with SERVICE_TIMEOUT", async () => {
  const service = createUsersService({
    logRequests: false,
    logger: capturedLogger("users").logger,
  });
  await using running = service.serve({ port: 0, hostname: "127.0.0.1", handleSignals: false });
  const { clients } = defineServices({
    users: { contract: usersContract, url: running.url, timeoutMs: 100 },
  });
  await rejects(clients.users.slow({ ms: 2_000 }), (error: unknown) => {
    ok(isNetScriptError(error, "SERVICE_TIMEOUT"));
    ok(error.message.includes("100 ms"));
    deepEqual(error.details.procedure, "slow");
    return true;
  });
  deepEqual(await clients.users.slow({ ms: 0 }), { waited: 0 });
});

Deno.test("a caller's abort signal cancels the call", async () => {
  const service = createUsersService({
    logRequests: false,
    logger: capturedLogger("users").logger,
  });
  await using running = service.serve({ port: 0, hostname: "127.0.0.1", handleSignals: false });
  const { clients } = defineServices({ users: { contract: usersContract, url: running.url } });
  const controller = new AbortController();
  const call = clients.users.slow({ ms: 2_000 }, { signal: controller.signal });
  setTimeout(() => controller.abort(), 50);
  await rejects(call, (error: unknown) => !isNetScriptError(error, "SERVICE_TIMEOUT"));
});

Deno.test("a call to a service that is not listening fails with SERVICE_UNREACHABLE", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  const { clients } = defineServices({
    users: { contract: usersContract, url: `http://127.0.0.1:${port}` },
  });
  await rejects(clients.users.users.get({ id: "1" }), (error: unknown) => {
    ok(isNetScriptError(error, "SERVICE_UNREACHABLE"));
    ok(error.message.includes(`127.0.0.1:${port}`));
    return true;
  });
});

Deno.test("with OTEL_DENO=true the client leaves traceparent to Deno's fetch", async () => {
  const before = Deno.env.get("OTEL_DENO");
  Deno.env.set("OTEL_DENO", "true");
  try {
    const { fetch, requests } = inProcess();
    const { clients } = defineServices(
      { users: { contract: usersContract, url: "http://u.test" } },
      {
        fetch,
      },
    );
    await clients.users.users.get({ id: "1" });
    equal(requests[0]!.headers.get("traceparent"), null);
  } finally {
    if (before === undefined) Deno.env.delete("OTEL_DENO");
    else Deno.env.set("OTEL_DENO", before);
  }
});

Deno.test("a call this process may not make fails with SERVICE_NOT_PERMITTED", async () => {
  const script = await Deno.makeTempFile({ suffix: ".ts" });
  try {
    await Deno.writeTextFile(
      script,
      `import { defineServices } from "${new URL("./mod.ts", import.meta.url).href}";
import { usersContract } from "${
        new URL("../service/testdata/users_service.ts", import.meta.url).href
      }";
const { clients } = defineServices({ users: { contract: usersContract, url: "http://127.0.0.1:61999" } });
try {
  await clients.users.users.get({ id: "1" });
} catch (error) {
  console.log((error as { code?: string }).code, (error as Error).message);
}
`,
    );
    const output = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--quiet",
        "--no-check",
        "--config",
        new URL("../../deno.json", import.meta.url).pathname,
        "--allow-read",
        "--allow-env",
        script,
      ],
      env: { NO_COLOR: "1" },
    }).output();
    const text = new TextDecoder().decode(output.stdout);
    ok(text.startsWith("SERVICE_NOT_PERMITTED"), text + new TextDecoder().decode(output.stderr));
    ok(text.includes("--allow-net=127.0.0.1:61999"), text);
  } finally {
    await Deno.remove(script);
  }
});
