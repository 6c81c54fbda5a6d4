import type { Registry } from "./compose_registry.ts";
import type { DbEngine, TelemetryContribution } from "./manifest.ts";
import type { DenoPermissions } from "./permissions.ts";
import { renderPermissionFlags } from "./permissions.ts";
import type { NetScriptConfig } from "./workspace_config.ts";

/** A data store the workspace runs against. */
export interface DataStoreResource {
  /** `db` or `cache`. */
  readonly name: "db" | "cache";
  /** Always `store`. */
  readonly kind: "store";
  /** The engine or backend. */
  readonly engine: "postgres" | "mysql" | "mssql" | "sqlite" | "redis" | "garnet" | "deno-kv";
  /** `true` for stores that are files (SQLite, Deno KV); `false` for servers. */
  readonly embedded: boolean;
  /** The file of an embedded store, relative to the workspace root. */
  readonly file?: string;
  /** The local URL of a server store, used when the environment names none. */
  readonly url?: string;
  /** A server store's `host:port`, as the processes' network grant names it. */
  readonly address?: string;
}

/** A Deno process: the app's service, a plugin service, or a background processor. */
export interface ProcessResource {
  /** The resource name, unique in the graph. */
  readonly name: string;
  /** A service answers HTTP; a processor does background work. */
  readonly kind: "service" | "processor";
  /** The contributing plugin; absent for the app's own service. */
  readonly plugin?: string;
  /** The entrypoint, relative to the workspace root. */
  readonly entrypoint: string;
  /** The port a service listens on (`PORT`). */
  readonly port?: number;
  /** The environment the process receives. */
  readonly env: Readonly<Record<string, string>>;
  /** Its permissions: the declared ones plus what its environment and stores need. */
  readonly permissions: DenoPermissions;
  /**
   * `deno run` flags: its permissions (never `-A`) and, for services,
   * {@linkcode SERVICE_RUNTIME_FLAGS}.
   */
  readonly flags: readonly string[];
  /** Resources that must be ready first. */
  readonly waitFor: readonly string[];
  /** A service's readiness path. */
  readonly health?: string;
  /** Variables the plugin declared (`permissions.env`) whose values the runner passes through. */
  readonly passEnv: readonly string[];
  /** The service a processor belongs to, for grouping in dashboards. */
  readonly parent?: string;
}

/** One node of the graph. */
export type Resource = DataStoreResource | ProcessResource;

/** Every resource of a workspace, stores first, then services, then processors. */
export interface ResourceGraph {
  /** The resources, in the order they start. */
  readonly resources: readonly Resource[];
}

/** Options of {@linkcode buildResourceGraph}. */
export interface BuildResourceGraphOptions {
  /**
   * Ports that are taken: a service asking for one gets the next free port.
   * @default {none}
   */
  takenPorts?: ReadonlySet<number>;
  /**
   * The app's own service entrypoint, relative to the workspace root.
   * @default {"services/api/main.ts"}
   */
  appEntrypoint?: string;
  /**
   * The URL of a server database (ignored for SQLite, which is a file).
   * @default {the engine's entry in LOCAL_DATABASE_URLS}
   */
  databaseUrl?: string;
  /**
   * The URL of a server cache (ignored for Deno KV, which is a file).
   * @default {"redis://127.0.0.1:6379"}
   */
  cacheUrl?: string;
}

/**
 * Runtime flags every service runs with. `--unstable-no-legacy-abort` makes
 * `request.signal` abort only when the client goes away, which is what oRPC
 * expects of it (Deno 2.9's legacy behaviour also aborts it after every
 * successful response, and warns about that on the first request).
 */
export const SERVICE_RUNTIME_FLAGS: readonly string[] = ["--unstable-no-legacy-abort"];

/** The app service's name and port. */
export const APP_SERVICE = { name: "api", port: 3000 } as const;

/**
 * The database each server engine uses when the environment names none
 * (neither `DATABASE_URL` nor `DB_URI`, nor either in the workspace's
 * `.env`): the database `app` on this machine, as the engine's usual local
 * superuser. `netscript dev`, `netscript db`, `netscript doctor` and the
 * generated `@db` client all fall back to it.
 *
 * @example
 * ```ts
 * import { LOCAL_DATABASE_URLS } from "@netscript/plugin";
 *
 * console.log(LOCAL_DATABASE_URLS.postgres); // "postgresql://postgres@127.0.0.1:5432/app"
 * ```
 */
export const LOCAL_DATABASE_URLS: Readonly<Record<Exclude<DbEngine, "sqlite">, string>> = {
  postgres: "postgresql://postgres@127.0.0.1:5432/app",
  mysql: "mysql://root@127.0.0.1:3306/app",
  mssql: "sqlserver://127.0.0.1:1433;database=app",
};

/**
 * Turns the workspace configuration and the generated registry into the
 * resource graph that both `netscript dev` and the Aspire AppHost
 * materialise: the data stores, the app's service on 3000, every plugin
 * service on its port (moved to the next free one when taken), and every
 * background processor, each with its environment, permissions, what it
 * waits for, its health path and its parent. A pure function.
 *
 * @param config The workspace configuration.
 * @param registry The composed registry.
 * @param options Taken ports and the app's entrypoint.
 * @returns The graph.
 *
 * @example
 * ```ts
 * import { buildResourceGraph, composeRegistry, defineConfig } from "@netscript/plugin";
 *
 * const config = defineConfig({
 *   db: { engine: "sqlite" },
 *   cache: { backend: "deno-kv" },
 *   plugins: [],
 *   aspire: false,
 * });
 * const graph = buildResourceGraph(config, composeRegistry([]));
 * console.log(graph.resources.map((r) => r.name)); // ["db", "cache", "api"]
 * ```
 */
export function buildResourceGraph(
  config: NetScriptConfig,
  registry: Registry,
  options: BuildResourceGraphOptions = {},
): ResourceGraph {
  const db = _database(config, options.databaseUrl);
  const cache = _cache(config, options.cacheUrl);
  const taken = new Set(options.takenPorts ?? []);
  const claim = (wanted: number) => {
    let port = wanted;
    while (taken.has(port)) port++;
    taken.add(port);
    return port;
  };
  const services = [
    {
      name: APP_SERVICE.name,
      entrypoint: options.appEntrypoint ?? "services/api/main.ts",
      wanted: APP_SERVICE.port,
      permissions: {} as DenoPermissions,
    },
    ...registry.services.map((s) => ({
      name: s.name,
      plugin: s.plugin,
      entrypoint: s.entrypoint,
      wanted: s.port,
      permissions: s.permissions,
    })),
  ].map((service) => ({ ...service, port: claim(service.wanted) }));

  const discovery: Record<string, string> = {};
  for (const service of services) {
    const url = `http://localhost:${service.port}`;
    discovery[`services__${service.name}__http__0`] = url;
    discovery[`${aspireEnvName(service.name)}_HTTP`] = url;
  }
  const storeEnv = { ..._storeEnv(db), ..._storeEnv(cache) };
  const peers = services.flatMap((s) => [`localhost:${s.port}`, `127.0.0.1:${s.port}`]);
  const plugins = new Map(registry.plugins.map((p) => [p.name, p]));
  const configStore = db.engine === "postgres" ? [] : [CONFIG_KV_STORE];
  /** The stores a plugin's process reaches: the workspace's, and the config KV file when it has topics. */
  const storesOf = (plugin: string | undefined) =>
    plugin !== undefined && registry.runtimeConfigTopics.some((t) => t.plugin === plugin)
      ? [db, cache, ...configStore]
      : [db, cache];
  const common = (name: string, plugin?: string) => ({
    ...storeEnv,
    ...Object.fromEntries(
      Object.entries(discovery).filter(([key]) =>
        key !== `services__${name}__http__0` && key !== `${aspireEnvName(name)}_HTTP`
      ),
    ),
    OTEL_SERVICE_NAME: name,
    ..._telemetryEnv(plugin === undefined ? undefined : plugins.get(plugin)?.telemetry),
  });

  const processes: ProcessResource[] = services.map((service) => {
    const plugin = "plugin" in service ? service.plugin : undefined;
    const env = { ...common(service.name, plugin), PORT: String(service.port) };
    const permissions = _permissions(service.permissions, storesOf(plugin), [
      `127.0.0.1:${service.port}`,
      ...peers,
    ]);
    return {
      name: service.name,
      kind: "service",
      ...("plugin" in service && service.plugin !== undefined ? { plugin: service.plugin } : {}),
      entrypoint: service.entrypoint,
      port: service.port,
      env,
      permissions,
      flags: [...renderPermissionFlags(permissions), ...SERVICE_RUNTIME_FLAGS],
      waitFor: [db.name, cache.name],
      health: "/health",
      passEnv: _declaredEnv(service.permissions),
    };
  });
  for (const processor of registry.processors) {
    const env = {
      ...common(processor.name, processor.plugin),
      WORKER_CONCURRENCY: String(processor.concurrency),
    };
    const permissions = _permissions(processor.permissions, storesOf(processor.plugin), peers);
    const parent = registry.services.find((s) => s.plugin === processor.plugin)?.name;
    processes.push({
      name: processor.name,
      kind: "processor",
      plugin: processor.plugin,
      entrypoint: processor.entrypoint,
      env,
      permissions,
      flags: renderPermissionFlags(permissions),
      waitFor: [db.name, cache.name, ...(parent ? [parent] : [])],
      ...(parent ? { parent } : {}),
      passEnv: _declaredEnv(processor.permissions),
    });
  }
  return { resources: [db, cache, ...processes] };
}

function _database(config: NetScriptConfig, url: string | undefined): DataStoreResource {
  const engine = config.db.engine;
  return engine === "sqlite"
    ? { name: "db", kind: "store", engine, embedded: true, file: ".netscript/data/app.db" }
    : _server("db", engine, url ?? LOCAL_DATABASE_URLS[engine]);
}

function _cache(config: NetScriptConfig, url: string | undefined): DataStoreResource {
  const backend = config.cache.backend;
  return backend === "deno-kv"
    ? {
      name: "cache",
      kind: "store",
      engine: backend,
      embedded: true,
      file: ".netscript/data/kv.sqlite3",
    }
    : _server("cache", backend, url ?? "redis://127.0.0.1:6379");
}

function _server(
  name: DataStoreResource["name"],
  engine: DataStoreResource["engine"],
  url: string,
): DataStoreResource {
  return { name, kind: "store", engine, embedded: false, url, address: _host(url) };
}

/** What a process's permissions depend on in a store it reaches. */
type StoreAccess = Pick<DataStoreResource, "engine" | "embedded" | "file" | "address">;

/**
 * Where config topics live when the database is not Postgres: a Deno KV file
 * beside the embedded stores (`@netscript/runtime`'s `openConfigStore`).
 */
const CONFIG_KV_STORE: StoreAccess = {
  engine: "deno-kv",
  embedded: true,
  file: ".netscript/data/config.kv",
};

/**
 * The OpenTelemetry resource attributes of a plugin's process: its
 * telemetry namespace as `service.namespace`, then its extra attributes,
 * percent-encoded as `OTEL_RESOURCE_ATTRIBUTES` requires.
 */
function _telemetryEnv(telemetry: TelemetryContribution | undefined): Record<string, string> {
  if (telemetry === undefined) return {};
  const attributes = { "service.namespace": telemetry.namespace, ...telemetry.resourceAttributes };
  return {
    OTEL_RESOURCE_ATTRIBUTES: Object.entries(attributes).map(([key, value]) =>
      `${encodeURIComponent(key)}=${encodeURIComponent(value)}`
    ).join(","),
  };
}

/** The variables a process receives for a store, under Aspire's names. */
function _storeEnv(store: DataStoreResource): Record<string, string> {
  if (store.name === "db") {
    const url = store.embedded ? `file:${store.file}` : store.url!;
    return { DB_URI: url };
  }
  return store.embedded ? { DENO_KV_PATH: store.file! } : { CACHE_URI: store.url! };
}

/** The variable names a plugin declared it reads. */
function _declaredEnv(declared: DenoPermissions): string[] {
  return Array.isArray(declared.env) ? [...declared.env] : [];
}

/**
 * Declared permissions plus what the stores and the other services require.
 * The environment is granted whole: a process only ever sees the variables
 * the graph gives it (the runner clears the rest), and libraries such as
 * database drivers read variables of their own.
 */
function _permissions(
  declared: DenoPermissions,
  stores: readonly StoreAccess[],
  hostsToReach: readonly string[],
): DenoPermissions {
  const list = (grant: DenoPermissions["net"], extra: readonly string[]) =>
    grant === true ? true : [...new Set([...(Array.isArray(grant) ? grant : []), ...extra])].sort();
  const hosts = stores.flatMap((s) => (s.address ? [s.address] : []));
  const files = stores.flatMap((s) => (s.file ? [s.file.slice(0, s.file.lastIndexOf("/"))] : []));
  const embedded = stores.some((s) => s.embedded && s.engine === "sqlite");
  const kv = stores.some((s) => s.engine === "deno-kv");
  const permissions: DenoPermissions = {
    ...declared,
    net: list(declared.net, [...hostsToReach, ...hosts]),
    env: true,
    ...(files.length > 0
      ? { read: list(declared.read, files), write: list(declared.write, files) }
      : {}),
    ...(embedded ? { ffi: declared.ffi ?? true, sys: declared.sys ?? true } : {}),
    ...(kv ? { unstable: [...new Set([...(declared.unstable ?? []), "kv" as const])] } : {}),
  };
  return permissions;
}

/**
 * Encodes a resource name the way Aspire does in variable names such as
 * `<NAME>_HTTP` and `<NAME>_URI`: characters other than letters, digits and
 * `_` become `_`, a leading digit gets a `_`, and the result is uppercased.
 *
 * @param name A resource name, e.g. `workers-api`.
 * @returns The encoded name, e.g. `WORKERS_API`.
 *
 * @example
 * ```ts
 * import { aspireEnvName } from "@netscript/plugin";
 *
 * console.log(aspireEnvName("workers-api")); // "WORKERS_API"
 * ```
 */
export function aspireEnvName(name: string): string {
  const encoded = name.replace(/[^A-Za-z0-9_]/g, "_");
  return (/^[0-9]/.test(encoded) ? `_${encoded}` : encoded).toUpperCase();
}

function _host(url: string): string {
  const match = url.match(/^[a-z]+:\/\/(?:[^@/]*@)?([^/;?]+)/);
  return match ? match[1]! : url;
}
