import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { isNetScriptError } from "@netscript/contracts/errors";
import { composeRegistry, isPluginManifest } from "@netscript/plugin";
import { assertPanelRoutes } from "@netscript/plugin/testing";
import { streamsContract } from "../contracts/v1/mod.ts";
import { defineStreamsPlugin, streamsManifest } from "./manifest.ts";

Deno.test("the streams manifest declares streams-api on 8095, its tables, contract and config topic", () => {
  ok(isPluginManifest(streamsManifest));
  deepEqual(streamsManifest.services.map((s) => [s.name, s.port]), [["streams-api", 8095]]);
  deepEqual(streamsManifest.processors, []);
  deepEqual(streamsManifest.dbSchemas, [{ path: "./database/streams.prisma", engine: "postgres" }]);
  deepEqual(streamsManifest.contractVersions.map((c) => c.version), ["v1"]);
  deepEqual(streamsManifest.runtimeConfigTopics.map((t) => t.name), ["streams"]);
  deepEqual(streamsManifest.streamTopics, []);
});

Deno.test("defineStreamsPlugin() declares the workspace's topics, which compose with other plugins' topics", () => {
  const manifest = defineStreamsPlugin({
    topics: [{ name: "orders", schemaPath: "./topics/orders.schema.json" }],
  });
  const registry = composeRegistry([{ file: "plugins/streams/plugin.ts", manifest }]);
  deepEqual(registry.streamTopics.map((t) => [t.plugin, t.name]), [
    ["@netscript/plugin-streams", "orders"],
  ]);
});

Deno.test("defineStreamsPlugin() refuses two topics with one name", () => {
  throws(
    () =>
      defineStreamsPlugin({
        topics: [
          { name: "orders", schemaPath: "./a.json" },
          { name: "orders", schemaPath: "./b.json" },
        ],
      }),
    (error) => isNetScriptError(error, "STREAMS_INVALID_TOPICS") && /"orders"/.test(error.message),
  );
});

Deno.test("the manifest-side publish() and subscribe() throw StreamUnsupportedOperationError naming createDurableStream", async () => {
  const { publish, subscribe, StreamUnsupportedOperationError } = await import(
    "./stream_unsupported_operation_error.ts"
  );
  for (const call of [() => publish("orders", {}), () => subscribe("orders")]) {
    throws(call, (error) => {
      ok(error instanceof StreamUnsupportedOperationError);
      equal(error.code, "STREAMS_UNSUPPORTED_OPERATION");
      return /createDurableStream/.test(error.message);
    });
  }
});

Deno.test("the streams manifest declares the streams dashboard panel over streams-api's routes, opening on a stream's newest appends", () => {
  deepEqual(
    streamsManifest.dashboardPanels.map((p) => [p.id, p.title, p.service]),
    [["streams", "Streams", "streams-api"]],
  );
  const [topics] = streamsManifest.dashboardPanels[0]!.views;
  deepEqual(
    topics?.kind === "table" ? [topics.path, topics.detail?.path, topics.detail?.list] : [],
    ["/api/topics?limit=50", "/api/topics/{name}/tail", "items"],
  );
  deepEqual(
    topics?.kind === "table" ? topics.detail?.columns.map((c) => c.field) : [],
    ["offset", "committedAt", "messages", "preview"],
  );
  assertPanelRoutes(streamsManifest, streamsContract);
});
