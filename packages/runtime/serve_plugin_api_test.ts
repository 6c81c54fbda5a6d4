import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import type { AnyContractRouter } from "@orpc/contract";
import { isNetScriptError } from "@netscript/contracts/errors";
import { createMemoryConfigStore } from "@netscript/runtime-config/memory";
import { configureTelemetry, createLogger, spanName } from "@netscript/telemetry";
import { envFrom, servePluginApi } from "./mod.ts";
import { createHelloService } from "./testdata/hello_service.ts";
import { billing } from "./testdata/plugin.ts";

const quiet = createLogger({ service: "billing-api", sink: () => {} });

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

Deno.test("servePluginApi() serves the service on PORT and closes its resources on shutdown", async () => {
  const closed: string[] = [];
  const store = await createMemoryConfigStore();
  try {
    const running = await servePluginApi({
      plugin: billing,
      resource: "billing-api",
      defaultPort: 1,
      env: envFrom({ PORT: "0" }),
      hostname: "127.0.0.1",
      handleSignals: false,
      logger: quiet,
      configStore: store,
      service: async ({ logger, onClose, port, config }) => {
        equal(port, 0);
        equal((await (await config<{ batch?: number }>("billing")).get()).revision, 0);
        onClose(() => void closed.push("store"));
        onClose(() => void closed.push("pool"));
        return createHelloService(logger);
      },
    });
    try {
      equal(spanName("x"), "billing.x");
      const hello = await fetch(new URL("/api/hello", running.url));
      deepEqual(await hello.json(), { hi: "there" });
      const down = await fetch(new URL("/api/down", running.url));
      equal(down.status, 503, "store errors are 503 for every plugin");
      const body = await down.text();
      ok(!body.includes("pw") && !body.includes("cache:6379"), body);
      equal(JSON.parse(body).data.dependency, "billing store");
    } finally {
      await running.shutdown();
    }
    deepEqual(closed, ["pool", "store"]);
  } finally {
    await store.close();
    configureTelemetry({});
  }
});

Deno.test("servePluginApi() listens on the default port when PORT is unset", async () => {
  const port = freePort();
  const running = await servePluginApi({
    plugin: billing,
    resource: "billing-api",
    defaultPort: port,
    env: envFrom({}),
    hostname: "127.0.0.1",
    handleSignals: false,
    logger: quiet,
    service: ({ logger }) => createHelloService(logger),
  });
  try {
    equal(running.port, port);
  } finally {
    await running.shutdown();
    configureTelemetry({});
  }
});

Deno.test("servePluginApi() listens on 127.0.0.1 unless hostname or HOST says otherwise", async (t) => {
  const cases: [string, Record<string, string>, string | undefined, string][] = [
    ["by default", {}, undefined, "127.0.0.1"],
    ["HOST from its environment", { HOST: "0.0.0.0" }, undefined, "0.0.0.0"],
    ["hostname over HOST", { HOST: "0.0.0.0" }, "127.0.0.1", "127.0.0.1"],
  ];
  for (const [name, variables, hostname, expected] of cases) {
    await t.step(name, async () => {
      const running = await servePluginApi({
        plugin: billing,
        resource: "billing-api",
        defaultPort: 0,
        env: envFrom(variables),
        ...(hostname === undefined ? {} : { hostname }),
        handleSignals: false,
        logger: quiet,
        service: ({ logger }) => createHelloService(logger),
      });
      try {
        equal(running.hostname, expected);
      } finally {
        await running.shutdown();
        configureTelemetry({});
      }
    });
  }
});

Deno.test("servePluginApi() refuses a PORT that is not a port number before building the service", async (t) => {
  for (const value of ["abc", "-1", "65536", "80.5"]) {
    await t.step(value, async () => {
      let built = false;
      await rejects(
        servePluginApi({
          plugin: billing,
          resource: "billing-api",
          defaultPort: 8190,
          env: envFrom({ PORT: value }),
          handleSignals: false,
          logger: quiet,
          service: ({ logger }) => {
            built = true;
            return createHelloService(logger);
          },
        }),
        (error) =>
          isNetScriptError(error, "RUNTIME_INVALID_SETTING") && error.details.variable === "PORT" &&
          error.message.includes("an integer from 0 to 65535"),
      );
      equal(built, false);
    });
  }
});

Deno.test("servePluginApi() closes what the service opened when building it fails", async () => {
  const closed: string[] = [];
  await rejects(
    servePluginApi({
      plugin: billing,
      resource: "billing-api",
      defaultPort: 8190,
      env: envFrom({}),
      handleSignals: false,
      logger: quiet,
      service: ({ onClose }) => {
        onClose(() => void closed.push("store"));
        throw new Error("store down");
      },
    }),
    /store down/,
  );
  deepEqual(closed, ["store"]);
  configureTelemetry({});
});

Deno.test("servePluginApi() loads the manifest's contract versions and serves them by name", async () => {
  const { versionedService, v1Contract, v2Contract } = await import(
    "./testdata/versioned_service.ts"
  );
  const running = await servePluginApi({
    plugin: billing,
    resource: "billing-api",
    defaultPort: 1,
    env: envFrom({ PORT: "0" }),
    hostname: "127.0.0.1",
    handleSignals: false,
    logger: quiet,
    contractVersions: [
      { version: "v1", loader: () => Promise.resolve({ v1Contract, somethingElse: 1 }) },
      { version: "v2", loader: () => Promise.resolve({ default: v2Contract }) },
    ],
    service: ({ contracts, logger }) => {
      equal(contracts.get("v1"), v1Contract, "the one contract the module exports");
      equal(contracts.get("v2"), v2Contract, "the module's default export");
      return versionedService(contracts, logger);
    },
  });
  try {
    deepEqual(await (await fetch(new URL("/api/v1/ping", running.url))).json(), { v: 1 });
    deepEqual(await (await fetch(new URL("/api/v2/ping", running.url))).json(), { v: 2 });
  } finally {
    await running.shutdown();
    configureTelemetry({});
  }
});

Deno.test("servePluginApi() refuses a contract version it cannot load or that the service does not serve", async (t) => {
  const { versionedService, v1Contract, v2Contract } = await import(
    "./testdata/versioned_service.ts"
  );
  const serve = (
    contractVersions: { version: string; loader: () => Promise<unknown> }[],
    served: "both" | "v2 only" = "both",
  ) =>
    servePluginApi({
      plugin: billing,
      resource: "billing-api",
      defaultPort: 1,
      env: envFrom({ PORT: "0" }),
      handleSignals: false,
      logger: quiet,
      contractVersions,
      service: ({ logger }) =>
        versionedService(
          new Map<string, AnyContractRouter>(
            served === "both" ? [["v1", v1Contract], ["v2", v2Contract]] : [["v2", v2Contract]],
          ),
          logger,
        ),
    });
  const invalid = (fragment: string) => (error: unknown) =>
    isNetScriptError(error, "RUNTIME_CONTRACT_VERSION_INVALID") &&
    error.message.includes(fragment);
  await t.step("a loader that fails", async () => {
    await rejects(
      serve([{ version: "v1", loader: () => Promise.reject(new Error("no such file")) }]),
      invalid("its loader failed (no such file)"),
    );
  });
  await t.step("a module without a contract", async () => {
    await rejects(
      serve([{ version: "v1", loader: () => Promise.resolve({ answer: 42 }) }]),
      invalid("exports no contract"),
    );
  });
  await t.step("a module with two", async () => {
    await rejects(
      serve([{ version: "v1", loader: () => Promise.resolve({ v1Contract, v2Contract }) }]),
      invalid("several contracts (v1Contract, v2Contract)"),
    );
  });
  await t.step("a declared version the service does not serve", async () => {
    await rejects(
      serve([
        { version: "v1", loader: () => Promise.resolve({ v1Contract }) },
        { version: "v2", loader: () => Promise.resolve({ v2Contract }) },
      ], "v2 only"),
      invalid("does not serve contract v1"),
    );
  });
  configureTelemetry({});
});
