import { deepEqual, equal, ok, rejects } from "node:assert/strict";
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
