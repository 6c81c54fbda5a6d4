import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { isNetScriptError } from "@netscript/contracts/errors";
import {
  buildResourceGraph,
  composeRegistry,
  defineConfig,
  type DenoPermissions,
  isPluginManifest,
} from "@netscript/plugin";
import { workersManifest } from "@netscript/plugin-workers";
import { authManifest, defineAuthPlugin } from "./manifest.ts";

Deno.test("the auth manifest declares auth-api on 8094 with contract v1 and no processor", () => {
  ok(isPluginManifest(authManifest));
  equal(authManifest.name, "@netscript/plugin-auth");
  equal(authManifest.type, "service");
  deepEqual(authManifest.services.map((s) => [s.name, s.port, s.entrypoint]), [
    ["auth-api", 8094, "./services/src/main.ts"],
  ]);
  deepEqual(authManifest.processors, []);
  deepEqual(authManifest.contractVersions.map((c) => c.version), ["v1"]);
  equal(authManifest.telemetry?.namespace, "auth");
});

Deno.test("auth-api gets the backend's variables and the provider permissions, no other resource does", () => {
  const graph = buildResourceGraph(
    defineConfig({
      db: { engine: "sqlite" },
      cache: { backend: "deno-kv" },
      plugins: [],
      aspire: false,
    }),
    composeRegistry([
      { file: "plugins/workers/plugin.ts", manifest: workersManifest },
      {
        file: "plugins/auth/plugin.ts",
        manifest: defineAuthPlugin({ providerPermissions: { net: ["login.example.com"] } }),
      },
    ]),
  );
  const resources = new Map(graph.resources.map((r) => [r.name, r]));
  const api = resources.get("auth-api") as { passEnv: readonly string[]; permissions: unknown };
  const workers = resources.get("workers-api") as typeof api;
  for (
    const name of [
      "NETSCRIPT_AUTH_BACKEND",
      "AUTH_OIDC_ISSUER",
      "AUTH_OIDC_CLIENT_SECRET",
      "AUTH_SECRET",
      "WORKOS_COOKIE_PASSWORD",
      "BETTER_AUTH_SECRET",
    ]
  ) {
    ok(api.passEnv.includes(name), `auth-api: ${name}`);
    ok(!workers.passEnv.includes(name), `workers-api: not ${name}`);
  }
  ok(JSON.stringify(api.permissions).includes("login.example.com"));
  ok(!JSON.stringify(workers.permissions).includes("login.example.com"));
});

Deno.test("defineAuthPlugin() refuses malformed provider permissions and env: true", () => {
  for (
    const providerPermissions of [
      { env: true },
      { net: 5 },
      { bogus: true },
    ] as unknown as DenoPermissions[]
  ) {
    throws(
      () => defineAuthPlugin({ providerPermissions }),
      (error) =>
        isNetScriptError(error, "AUTH_INVALID_PLUGIN_OPTIONS") &&
        error.message.startsWith("Invalid providerPermissions in defineAuthPlugin: "),
      JSON.stringify(providerPermissions),
    );
  }
});
