import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { isNetScriptError } from "@netscript/contracts/errors";
import {
  buildResourceGraph,
  composeRegistry,
  defineConfig,
  definePlugin,
  type ResourceGraph,
} from "@netscript/plugin";
import {
  buildAppHostModel,
  defineAspireContribution,
  recordContribution,
  type RecordedCall,
} from "./mod.ts";

const hello = definePlugin("hello", "1.0.0")
  .withType("background-processor")
  .withService({ name: "hello-api", entrypoint: "./services/main.ts", port: 8190 })
  .withBackgroundProcessor({ name: "hello-ticker", entrypoint: "./bin/ticker.ts" })
  .build();

function graph(engine: "postgres" | "sqlite"): ResourceGraph {
  const config = defineConfig({
    db: { engine },
    cache: { backend: engine === "sqlite" ? "deno-kv" : "redis" },
    plugins: [],
    aspire: true,
  });
  return buildResourceGraph(
    config,
    composeRegistry([{ file: "plugins/hello/plugin.ts", manifest: hello }]),
  );
}

function calls(add: Parameters<typeof defineAspireContribution>[0]): RecordedCall[] {
  return recordContribution(defineAspireContribution(add));
}

function rejects(code: string, run: () => unknown, mentions: readonly string[]): void {
  throws(run, (error) => {
    ok(isNetScriptError(error), `expected a NetScriptError, got ${error}`);
    equal(error.code, code);
    for (const text of mentions) {
      ok(error.message.includes(text), `"${error.message}" names ${text}`);
    }
    return true;
  });
}

Deno.test("buildAppHostModel() keeps the graph's processes, flags, ports and relations", () => {
  const source = graph("postgres");
  const model = buildAppHostModel(source, {});
  deepEqual(model.processes.map((p) => p.name), ["api", "hello-api", "hello-ticker"]);
  const [api, helloApi, ticker] = model.processes;
  equal(helloApi!.port, 8190);
  equal(helloApi!.health, "/health");
  deepEqual(helloApi!.args.at(-1), "plugins/hello/services/main.ts");
  deepEqual(ticker!.waitFor, ["db", "cache", "hello-api"]);
  equal(ticker!.parent, "hello-api");
  deepEqual(ticker!.services, ["api", "hello-api"]);
  deepEqual(api!.services, ["hello-api"], "a service does not reference itself");
  deepEqual(api!.stores, ["db", "cache"]);
  equal(ticker!.env.WORKER_CONCURRENCY, "1");
  equal(api!.env.OTEL_DENO, "true");
  equal(api!.env.DB_URI, undefined, "Aspire supplies DB_URI through the reference");
  equal(api!.env.PORT, undefined, "Aspire supplies PORT through the endpoint");
});

Deno.test("buildAppHostModel() grants localhost for stores Aspire runs as containers", () => {
  const model = buildAppHostModel(graph("postgres"), {});
  const net = model.processes[0]!.args.find((a) => a.startsWith("--allow-net="))!;
  const hosts = net.slice("--allow-net=".length).split(",");
  ok(hosts.includes("localhost"));
  ok(!hosts.includes("127.0.0.1:5432"), "the local server's address is not granted");
  ok(hosts.includes("127.0.0.1:3000"), "the service still listens on its own port only");
  const embedded = buildAppHostModel(graph("sqlite"), {});
  const sqliteNet = embedded.processes[0]!.args.find((a) => a.startsWith("--allow-net="))!;
  ok(!sqliteNet.split(/[=,]/).includes("localhost"), "no store server, no blanket localhost");
  equal(embedded.processes[0]!.env.DB_URI, "file:.netscript/data/app.db");
});

Deno.test("buildAppHostModel() applies a contribution's variables and waits", () => {
  const model = buildAppHostModel(graph("postgres"), {
    hello: calls((app) => {
      app.addDenoService("hello-api", { env: { GREETING: "hi" } });
      app.addDenoBackground("hello-ticker", { waitFor: ["api"] });
    }),
  });
  equal(model.processes[1]!.env.GREETING, "hi");
  deepEqual(model.processes[2]!.waitFor, ["db", "cache", "hello-api", "api"]);
});

Deno.test("buildAppHostModel() rejects contributions that disagree with the manifest", () => {
  rejects("ASPIRE_UNKNOWN_RESOURCE", () =>
    buildAppHostModel(graph("postgres"), {
      hello: calls((app) => {
        app.addDenoService("hello-api");
        app.addDenoBackground("hello-ticker");
        app.addDenoService("api");
      }),
    }), ["hello", '"api"', "hello-api (service)", "hello-ticker (processor)"]);
  rejects("ASPIRE_KIND_MISMATCH", () =>
    buildAppHostModel(graph("postgres"), {
      hello: calls((app) => {
        app.addDenoBackground("hello-api");
        app.addDenoBackground("hello-ticker");
      }),
    }), ['addDenoService("hello-api")']);
  rejects("ASPIRE_DUPLICATE_RESOURCE", () =>
    buildAppHostModel(graph("postgres"), {
      hello: calls((app) => {
        app.addDenoService("hello-api");
        app.addDenoService("hello-api");
        app.addDenoBackground("hello-ticker");
      }),
    }), ["hello-api", "twice"]);
  rejects(
    "ASPIRE_RESOURCE_MISSING",
    () =>
      buildAppHostModel(graph("postgres"), {
        hello: calls((app) => app.addDenoService("hello-api")),
      }),
    ["hello-ticker"],
  );
});

Deno.test("buildAppHostModel() refuses variables NetScript or Aspire set, unknown waits and cycles", () => {
  const contribution = (env: Record<string, string>, waitFor: string[] = []) => ({
    hello: calls((app) => {
      app.addDenoService("hello-api", { env, waitFor });
      app.addDenoBackground("hello-ticker");
    }),
  });
  for (
    const name of [
      "PORT",
      "DB_URI",
      "OTEL_EXPORTER_OTLP_ENDPOINT",
      "API_HTTP",
      "services__x__http__0",
      "NETSCRIPT_SERVICE_SECRET",
    ]
  ) {
    rejects(
      "ASPIRE_ENV_CONFLICT",
      () => buildAppHostModel(graph("postgres"), contribution({ [name]: "x" })),
      [name],
    );
  }
  rejects(
    "ASPIRE_ENV_CONFLICT",
    () => buildAppHostModel(graph("sqlite"), contribution({ DENO_KV_PATH: "x" })),
    [
      "DENO_KV_PATH",
    ],
  );
  rejects(
    "ASPIRE_UNKNOWN_RESOURCE",
    () => buildAppHostModel(graph("postgres"), contribution({}, ["billing-api"])),
    ["billing-api"],
  );
  rejects(
    "ASPIRE_WAIT_CYCLE",
    () => buildAppHostModel(graph("postgres"), contribution({}, ["hello-ticker"])),
    ["hello-api → hello-ticker → hello-api"],
  );
});

Deno.test("buildAppHostModel() leaves NETSCRIPT_SERVICE_SECRET to the AppHost", () => {
  const secret = "s".repeat(40);
  const source = graph("postgres");
  const withSecret: ResourceGraph = {
    resources: source.resources.map((r) =>
      r.kind === "store" ? r : {
        ...r,
        env: { ...r.env, NETSCRIPT_SERVICE_SECRET: secret },
        passEnv: [...r.passEnv, "NETSCRIPT_SERVICE_SECRET"],
      }
    ),
  };
  for (const process of buildAppHostModel(withSecret, {}).processes) {
    equal(process.env.NETSCRIPT_SERVICE_SECRET, undefined, `${process.name} holds no value`);
    ok(!process.passEnv.includes("NETSCRIPT_SERVICE_SECRET"), `${process.name} passes none on`);
    ok(!JSON.stringify(process).includes(secret));
  }
});
