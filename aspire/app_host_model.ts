import { SERVICE_SECRET_VARIABLE } from "@netscript/contracts/credential";
import { NetScriptError } from "@netscript/contracts/errors";
import {
  aspireEnvName,
  type DataStoreResource,
  type DenoPermissions,
  type ProcessResource,
  renderPermissionFlags,
  type ResourceGraph,
} from "@netscript/plugin";
import type { AspireErrorCode } from "./aspire_error_codes.ts";
import type { DenoResourceOptions, RecordedCall } from "./contribution.ts";

/** One Deno process of the AppHost, ready to render. */
export interface AppHostProcess {
  /** The resource name. */
  readonly name: string;
  /** A service answers HTTP; a processor does background work. */
  readonly kind: "service" | "processor";
  /** The contributing plugin; absent for the app's own service. */
  readonly plugin?: string;
  /** `deno` arguments: `run`, the permission flags, the entrypoint. */
  readonly args: readonly string[];
  /** A service's port; it binds the port itself (no Aspire proxy). */
  readonly port?: number;
  /** A service's health path. */
  readonly health?: string;
  /** Variables with literal values (`OTEL_DENO`, embedded stores, `WORKER_CONCURRENCY`, plugin extras). */
  readonly env: Readonly<Record<string, string>>;
  /** Server stores whose connection details it receives (`withReference`). */
  readonly stores: readonly ("db" | "cache")[];
  /** Services whose URL it receives (`withReference` on their `http` endpoint). */
  readonly services: readonly string[];
  /** Resources it waits for. */
  readonly waitFor: readonly string[];
  /** The service it is grouped under in the dashboard. */
  readonly parent?: string;
  /** Variables the plugin declared it reads, passed on from the AppHost's environment when set. */
  readonly passEnv: readonly string[];
}

/** Everything the AppHost declares, derived from the resource graph and the plugins' contributions. */
export interface AppHostModel {
  /** The database and the cache. */
  readonly stores: readonly DataStoreResource[];
  /** The Deno processes, in the graph's order. */
  readonly processes: readonly AppHostProcess[];
}

/**
 * Builds the AppHost model from the resource graph. A plugin with an Aspire
 * contribution must add each of its resources exactly once, with the method
 * for its kind; a plugin without one gets all its resources as declared.
 *
 * Under Aspire the data stores are containers on ports Aspire chooses, so a
 * process's network grant for them is the host `localhost` rather than the
 * local server's `host:port`; every other permission is the graph's.
 *
 * @param graph The resource graph (ports as declared).
 * @param contributions Recorded calls by plugin name, for plugins that have a contribution.
 * @returns The model.
 * @throws {NetScriptError} `ASPIRE_UNKNOWN_RESOURCE`, `ASPIRE_KIND_MISMATCH`,
 * `ASPIRE_DUPLICATE_RESOURCE`, `ASPIRE_RESOURCE_MISSING`, `ASPIRE_ENV_CONFLICT`,
 * `ASPIRE_WAIT_CYCLE`.
 *
 * @example
 * ```ts
 * import { buildAppHostModel } from "@netscript/aspire";
 * import { buildResourceGraph, composeRegistry, defineConfig } from "@netscript/plugin";
 *
 * const config = defineConfig({
 *   db: { engine: "postgres" },
 *   cache: { backend: "redis" },
 *   plugins: [],
 *   aspire: true,
 * });
 * const model = buildAppHostModel(buildResourceGraph(config, composeRegistry([])), {});
 * console.log(model.processes[0]?.args.at(-1)); // "services/api/main.ts"
 * ```
 */
export function buildAppHostModel(
  graph: ResourceGraph,
  contributions: Readonly<Record<string, readonly RecordedCall[]>>,
): AppHostModel {
  const stores = graph.resources.filter((r): r is DataStoreResource => r.kind === "store");
  const processes = graph.resources.filter((r): r is ProcessResource => r.kind !== "store");
  const options = _contributedOptions(processes, contributions);
  const names = new Set(graph.resources.map((r) => r.name));
  const model = processes.map((process) =>
    _process(process, stores, processes, options.get(process.name) ?? {}, names)
  );
  _assertNoWaitCycle(model);
  return { stores, processes: model };
}

/** Checks each plugin's calls against its resources and returns the options by resource. */
function _contributedOptions(
  processes: readonly ProcessResource[],
  contributions: Readonly<Record<string, readonly RecordedCall[]>>,
): Map<string, DenoResourceOptions> {
  const options = new Map<string, DenoResourceOptions>();
  for (const [plugin, calls] of Object.entries(contributions)) {
    const own = processes.filter((p) => p.plugin === plugin);
    const listed = own.map((p) => `${p.name} (${p.kind})`).join(", ") || "none";
    for (const call of calls) {
      const resource = own.find((p) => p.name === call.name);
      if (resource === undefined) {
        throw new NetScriptError<AspireErrorCode>(
          "ASPIRE_UNKNOWN_RESOURCE",
          `Plugin ${plugin}'s Aspire contribution adds "${call.name}", which is not one of its resources; its resources are: ${listed}`,
          { details: { plugin, resource: call.name } },
        );
      }
      const wanted = resource.kind === "service" ? "addDenoService" : "addDenoBackground";
      if (call.method !== wanted) {
        throw new NetScriptError<AspireErrorCode>(
          "ASPIRE_KIND_MISMATCH",
          `Plugin ${plugin}'s Aspire contribution calls ${call.method}("${call.name}"), but ${call.name} is a ${resource.kind}; call ${wanted}("${call.name}")`,
          { details: { plugin, resource: call.name, kind: resource.kind } },
        );
      }
      if (options.has(call.name)) {
        throw new NetScriptError<AspireErrorCode>(
          "ASPIRE_DUPLICATE_RESOURCE",
          `Plugin ${plugin}'s Aspire contribution adds "${call.name}" twice`,
          { details: { plugin, resource: call.name } },
        );
      }
      options.set(call.name, call.options);
    }
    const missing = own.filter((p) => !options.has(p.name)).map((p) => p.name);
    if (missing.length > 0) {
      throw new NetScriptError<AspireErrorCode>(
        "ASPIRE_RESOURCE_MISSING",
        `Plugin ${plugin}'s Aspire contribution does not add ${
          missing.join(", ")
        }; under Aspire they would not run. Add each with addDenoService or addDenoBackground`,
        { details: { plugin, missing } },
      );
    }
  }
  return options;
}

/**
 * Variables NetScript or Aspire set on a resource (ports, telemetry, service
 * URLs, the stores' connection details), which a plugin may not set.
 */
const RESERVED_ENV =
  /^(PORT|OTEL_.*|ConnectionStrings__.*|services__.*|DB_.*|CACHE_.*|DATABASE_URL|DENO_KV_PATH)$/;

function _process(
  process: ProcessResource,
  stores: readonly DataStoreResource[],
  processes: readonly ProcessResource[],
  options: DenoResourceOptions,
  names: ReadonlySet<string>,
): AppHostProcess {
  const serverStores = stores.filter((s) => !s.embedded);
  const services = processes.filter((p) => p.kind === "service" && p.name !== process.name);
  // The AppHost gives every process the service secret itself: a value from the graph is never
  // written into the file, and no plugin may set or pass on its own.
  const provided = new Set<string>(["PORT", "OTEL_SERVICE_NAME", SERVICE_SECRET_VARIABLE]);
  for (const store of serverStores) provided.add(store.name === "db" ? "DB_URI" : "CACHE_URI");
  for (const service of services) {
    provided.add(`services__${service.name}__http__0`);
    provided.add(`${aspireEnvName(service.name)}_HTTP`);
  }
  const env: Record<string, string> = { OTEL_DENO: "true" };
  for (const [key, value] of Object.entries(process.env)) {
    if (!provided.has(key)) env[key] = value;
  }
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (key in env || provided.has(key) || RESERVED_ENV.test(key)) {
      throw new NetScriptError<AspireErrorCode>(
        "ASPIRE_ENV_CONFLICT",
        `${process.name} sets ${key} in its Aspire contribution, but NetScript or Aspire already sets it; choose another name`,
        { details: { resource: process.name, variable: key } },
      );
    }
    env[key] = value;
  }
  for (const name of options.waitFor ?? []) {
    if (!names.has(name) || name === process.name) {
      throw new NetScriptError<AspireErrorCode>(
        "ASPIRE_UNKNOWN_RESOURCE",
        `${process.name} waits for "${name}" in its Aspire contribution, which is not another resource of the workspace; resources: ${
          [...names].join(", ")
        }`,
        { details: { resource: process.name, waitFor: name } },
      );
    }
  }
  const permissions = _aspirePermissions(process.permissions, serverStores);
  return {
    name: process.name,
    kind: process.kind,
    ...(process.plugin !== undefined ? { plugin: process.plugin } : {}),
    args: [
      "run",
      ...process.flags.flatMap((flag) =>
        flag.startsWith("--allow-net=")
          ? renderPermissionFlags({ net: permissions.net }).slice(0, 1)
          : [flag]
      ),
      process.entrypoint,
    ],
    ...(process.port !== undefined ? { port: process.port } : {}),
    ...(process.health !== undefined ? { health: process.health } : {}),
    env,
    stores: serverStores.map((s) => s.name),
    services: services.map((s) => s.name),
    waitFor: [...new Set([...process.waitFor, ...(options.waitFor ?? [])])],
    ...(process.parent !== undefined ? { parent: process.parent } : {}),
    passEnv: process.passEnv.filter((name) => !(name in env) && !provided.has(name)),
  };
}

/**
 * The graph's permissions with each server store's `host:port` replaced by
 * the host `localhost` (which also covers the other services on localhost).
 */
function _aspirePermissions(
  permissions: DenoPermissions,
  serverStores: readonly DataStoreResource[],
): DenoPermissions {
  if (serverStores.length === 0 || !Array.isArray(permissions.net)) return permissions;
  const storeHosts = new Set(serverStores.map((s) => s.address));
  const net = [
    ...permissions.net.filter((h) => !storeHosts.has(h) && !h.startsWith("localhost:")),
    "localhost",
  ];
  return { ...permissions, net: [...new Set(net)].sort() };
}

function _assertNoWaitCycle(processes: readonly AppHostProcess[]): void {
  const byName = new Map(processes.map((p) => [p.name, p]));
  const visit = (name: string, path: readonly string[]): void => {
    if (path.includes(name)) {
      const cycle = [...path.slice(path.indexOf(name)), name];
      throw new NetScriptError<AspireErrorCode>(
        "ASPIRE_WAIT_CYCLE",
        `Resources wait for each other in a cycle: ${
          cycle.join(" → ")
        }; none of them would ever start`,
        { details: { cycle } },
      );
    }
    for (const next of byName.get(name)?.waitFor ?? []) visit(next, [...path, name]);
  };
  for (const process of processes) visit(process.name, []);
}
