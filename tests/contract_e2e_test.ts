/**
 * End to end: one contract, served on a real port, called through the typed
 * client and through REST, documented by OpenAPI, traced by spans.
 */
import { deepEqual, equal, match, ok, rejects } from "node:assert/strict";
import { isNetScriptError } from "@netscript/contracts";
import { defineServices, isDefinedError, safe } from "@netscript/sdk";
import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { todosContract } from "../examples/todos/contract.ts";
import { createTodosService } from "../examples/todos/service.ts";
import { capturedLogger } from "./support/captured_logger.ts";
import { spansNamed, useInMemoryTracing } from "./support/tracing.ts";

const exporter = useInMemoryTracing();

function startTodos(options: Parameters<typeof createTodosService>[0] = {}) {
  const { logger } = capturedLogger("todos");
  const running = createTodosService({ logRequests: false, logger, ...options }).serve({
    port: 0,
    hostname: "127.0.0.1",
    handleSignals: false,
  });
  const { clients } = defineServices({ todos: { contract: todosContract, url: running.url } });
  return { running, todos: clients.todos.todos, url: (path: string) => new URL(path, running.url) };
}

Deno.test("one contract serves the typed client, REST and OpenAPI on one port", async (t) => {
  const { running, todos, url } = startTodos();
  await using _ = running;

  await t.step("the typed client creates and reads", async () => {
    const created = await todos.create({ title: "Write the e2e test" });
    deepEqual(created, { id: "4", title: "Write the e2e test", done: false });
    deepEqual(await todos.get({ id: "4" }), created);
    const page = await todos.list({ done: false, limit: 1 });
    equal(page.total, 2);
    equal(page.items.length, 1);
  });

  await t.step("REST sees the same data, with query values decoded", async () => {
    const response = await fetch(url("/api/todos?done=true&limit=10&offset=0"));
    equal(response.status, 200);
    const page = await response.json();
    deepEqual(page.items.map((t: { id: string }) => t.id), ["1", "2"]);
    const created = await fetch(url("/api/todos"), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ title: "From curl" }),
    });
    equal(created.status, 201);
    equal((await created.json()).title, "From curl");
    const completed = await fetch(url("/api/todos/5/complete"), { method: "POST" });
    equal((await completed.json()).done, true);
  });

  await t.step("the OpenAPI document describes every procedure", async () => {
    const document = await (await fetch(url("/api/openapi.json"))).json();
    deepEqual(document.info, {
      title: "todos",
      version: "1.0.0",
      description: "A sample NetScript service keeping todos in memory.",
    });
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods as object).map((method) => `${method.toUpperCase()} ${path}`)
    );
    deepEqual(operations.sort(), [
      "GET /todos",
      "GET /todos/{id}",
      "POST /todos",
      "POST /todos/{id}/complete",
    ]);
    equal(document.paths["/todos"].post.responses["201"].description, "Created");
  });

  await t.step("the docs page and health endpoints answer", async () => {
    const docs = await fetch(url("/api/docs"));
    match(await docs.text(), /todos API reference/);
    equal((await fetch(url("/alive"))).status, 200);
    deepEqual(await (await fetch(url("/health"))).json(), {
      status: "pass",
      checks: [],
      failing: [],
    });
  });
});

Deno.test("every error path answers with a stable code", async (t) => {
  const { running, todos, url } = startTodos({
    maxBodyBytes: 1_024,
    healthChecks: { store: () => false },
  });
  await using _ = running;

  await t.step("invalid input over RPC is a typed BAD_REQUEST with issues", async () => {
    const { error } = await safe(todos.create({ title: "" }));
    ok(isDefinedError(error) && error.code === "BAD_REQUEST");
    deepEqual(error.data.issues.map((issue) => issue.path), [["title"]]);
  });
  await t.step("invalid input over REST is a 400 with the same issues", async () => {
    const response = await fetch(url("/api/todos?limit=0"));
    equal(response.status, 400);
    const body = await response.json();
    equal(body.code, "BAD_REQUEST");
    deepEqual(body.data.issues.map((issue: { path: unknown }) => issue.path), [["limit"]]);
  });
  await t.step("a missing record is a typed NOT_FOUND", async () => {
    const { error } = await safe(todos.get({ id: "nope" }));
    ok(isDefinedError(error) && error.code === "NOT_FOUND");
    deepEqual(error.data, { resource: "todo", id: "nope" });
  });
  await t.step("an unknown route is a 404 JSON error", async () => {
    const response = await fetch(url("/api/unknown"));
    equal(response.status, 404);
    equal((await response.json()).code, "NOT_FOUND");
  });
  await t.step("a body over the limit is a 413", async () => {
    const response = await fetch(url("/api/todos"), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ title: "x".repeat(2_000) }),
    });
    equal(response.status, 413);
    equal((await response.json()).code, "PAYLOAD_TOO_LARGE");
  });
  await t.step("a failing health check is a 503 naming it", async () => {
    const response = await fetch(url("/health"));
    equal(response.status, 503);
    deepEqual((await response.json()).failing, ["store"]);
  });
  await t.step("a service that is not there is SERVICE_UNREACHABLE", async () => {
    const { clients } = defineServices({
      todos: { contract: todosContract, url: "http://127.0.0.1:9" },
    });
    await rejects(
      clients.todos.todos.list({}),
      (error) => isNetScriptError(error, "SERVICE_UNREACHABLE"),
    );
  });
});

Deno.test("spans follow a call from the typed client into the service", async () => {
  const { running, todos } = startTodos();
  await using _ = running;
  exporter.reset();
  await todos.get({ id: "1" });
  await safe(todos.get({ id: "missing" }));
  const spans = spansNamed("todos.get");
  const clientSpans = spans.filter((s) => s.kind === SpanKind.CLIENT);
  const serverSpans = spans.filter((s) => s.kind === SpanKind.SERVER);
  equal(clientSpans.length, 2);
  equal(serverSpans.length, 2);
  for (const [index, server] of serverSpans.entries()) {
    const client = clientSpans.find((c) =>
      c.spanContext().spanId === server.parentSpanContext?.spanId
    );
    ok(client, `server span ${index} has its client span as parent`);
    equal(server.spanContext().traceId, client.spanContext().traceId);
    equal(server.attributes["netscript.service"], "todos");
  }
  const failed = serverSpans.find((s) => s.status.code === SpanStatusCode.ERROR);
  equal(failed?.attributes["error.type"], "NOT_FOUND");
});

Deno.test("a REST caller's traceparent is continued", async () => {
  const { running, url } = startTodos();
  await using _ = running;
  exporter.reset();
  const traceId = "5e0c63257de34c92bf9efcd03927272e";
  await fetch(url("/api/todos/1"), {
    headers: { traceparent: `00-${traceId}-e457b5a2e4d86bd1-01` },
  }).then((r) => r.body?.cancel());
  const [span] = spansNamed("todos.get");
  equal(span?.spanContext().traceId, traceId);
  equal(span?.parentSpanContext?.spanId, "e457b5a2e4d86bd1");
});
