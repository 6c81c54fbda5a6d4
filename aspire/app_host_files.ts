import type { DataStoreResource } from "@netscript/plugin";
import type { AppHostModel } from "./app_host_model.ts";
import { renderAppHost } from "./render_app_host.ts";
import { APPHOST_NPM_PACKAGES, ASPIRE_VERSION, DASHBOARD_PORTS } from "./versions.ts";

/** The hosting integration package each server store needs. */
const INTEGRATIONS: Readonly<Record<DataStoreResource["engine"], string | undefined>> = {
  postgres: "Aspire.Hosting.PostgreSQL",
  mysql: "Aspire.Hosting.MySql",
  mssql: "Aspire.Hosting.SqlServer",
  redis: "Aspire.Hosting.Redis",
  garnet: "Aspire.Hosting.Garnet",
  sqlite: undefined,
  "deno-kv": undefined,
};

/**
 * Every file of the workspace's `aspire/` folder, by path relative to it:
 * `apphost.mts`, `aspire.config.json` (the pinned Aspire version, the
 * integration packages, and an `http` profile with the dashboard on :18888
 * and both OTLP endpoints, so OTLP/HTTP exporters reach it),
 * `package.json`, `tsconfig.apphost.json` and `.gitignore`.
 *
 * @param model The AppHost model.
 * @returns The files' text by path.
 *
 * @example
 * ```ts
 * import { appHostFiles, buildAppHostModel } from "@netscript/aspire";
 * import { buildResourceGraph, composeRegistry, defineConfig } from "@netscript/plugin";
 *
 * const config = defineConfig({
 *   db: { engine: "postgres" },
 *   cache: { backend: "redis" },
 *   plugins: [],
 *   aspire: true,
 * });
 * const model = buildAppHostModel(buildResourceGraph(config, composeRegistry([])), {});
 * console.log(Object.keys(appHostFiles(model)));
 * ```
 */
export function appHostFiles(
  model: AppHostModel,
): Record<string, string> {
  const packages = Object.fromEntries(
    model.stores.flatMap((s) => {
      const integration = INTEGRATIONS[s.engine];
      return integration ? [[integration, ASPIRE_VERSION]] : [];
    }),
  );
  const url = (port: number) => `http://localhost:${port}`;
  const config = {
    $schema: "https://json.schemastore.org/aspire-config.json",
    appHost: { path: "apphost.mts", language: "typescript/nodejs" },
    sdk: { version: ASPIRE_VERSION },
    packages,
    profiles: {
      http: {
        applicationUrl: url(DASHBOARD_PORTS.ui),
        environmentVariables: {
          ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL: url(DASHBOARD_PORTS.otlpGrpc),
          ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL: url(DASHBOARD_PORTS.otlpHttp),
          ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL: url(DASHBOARD_PORTS.resources),
          ASPIRE_ALLOW_UNSECURED_TRANSPORT: "true",
        },
      },
    },
  };
  const packageJson = {
    name: "netscript-apphost",
    private: true,
    type: "module",
    engines: { node: "^20.19.0 || ^22.13.0 || >=24" },
    ...APPHOST_NPM_PACKAGES,
  };
  const tsconfig = {
    compilerOptions: {
      target: "ES2022",
      module: "NodeNext",
      moduleResolution: "NodeNext",
      strict: true,
      skipLibCheck: true,
      noEmit: true,
      types: ["node"],
    },
    include: ["apphost.mts", ".aspire/modules/**/*.mts"],
  };
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  return {
    "apphost.mts": renderAppHost(model),
    "aspire.config.json": json(config),
    "package.json": json(packageJson),
    "tsconfig.apphost.json": json(tsconfig),
    ".gitignore": "node_modules/\ndist/\n.aspire/\n",
  };
}
