import { NetScriptError } from "@netscript/contracts/errors";
import type {
  DbEngine,
  PluginManifest,
  PluginType,
  ProcessorContribution,
  ServiceContribution,
} from "./manifest.ts";
import type { DenoPermissions } from "./permissions.ts";

/** A manifest and the file it came from, e.g. `plugins/workers/plugin.ts`. */
export interface ManifestSource {
  /** The built manifest. */
  readonly manifest: PluginManifest;
  /** The manifest file, relative to the workspace root, with forward slashes. */
  readonly file: string;
}

/** A plugin in the registry. */
export interface RegisteredPlugin {
  /** The plugin name. */
  readonly name: string;
  /** The plugin version. */
  readonly version: string;
  /** The plugin type. */
  readonly type: PluginType;
  /** The manifest file, relative to the workspace root. */
  readonly file: string;
  /** The plugin folder, relative to the workspace root. */
  readonly directory: string;
  /** The telemetry namespace, when declared. */
  readonly telemetryNamespace?: string;
  /** The Aspire contribution module, relative to the workspace root, when declared. */
  readonly aspire?: string;
}

/** A runnable resource contributed by a plugin: a service or a processor. */
export interface RegisteredResource {
  /** The contributing plugin's name. */
  readonly plugin: string;
  /** The resource name. */
  readonly name: string;
  /** The entrypoint, relative to the workspace root. */
  readonly entrypoint: string;
  /** The permissions the plugin declared for it. */
  readonly permissions: DenoPermissions;
}

/** A plugin's HTTP API. */
export interface RegisteredService extends RegisteredResource {
  /** The port it asked for. */
  readonly port: number;
}

/** A plugin's background process. */
export interface RegisteredProcessor extends RegisteredResource {
  /** Units of work one process runs at once (default 1). */
  readonly concurrency: number;
}

/** A plugin's Prisma schema fragment. */
export interface RegisteredDbSchema {
  /** The contributing plugin. */
  readonly plugin: string;
  /** The fragment, relative to the workspace root. */
  readonly path: string;
  /** Its engine. */
  readonly engine: DbEngine;
}

/** A named topic (stream or runtime config) and its owner. */
export interface RegisteredTopic {
  /** The contributing plugin. */
  readonly plugin: string;
  /** The topic name. */
  readonly name: string;
}

/** A runtime configuration topic and its schema. */
export interface RegisteredConfigTopic extends RegisteredTopic {
  /** The JSON Schema file, relative to the workspace root. */
  readonly schemaPath: string;
}

/** A version of a plugin's contract. */
export interface RegisteredContractVersion {
  /** The contributing plugin. */
  readonly plugin: string;
  /** The version, e.g. `v1`. */
  readonly version: string;
  /** Loads the contract module. */
  readonly loader: () => Promise<unknown>;
}

/**
 * Every contribution of every plugin, in a deterministic order: plugins by
 * name, and each plugin's contributions in the order its manifest lists them.
 */
export interface Registry {
  /** The plugins. */
  readonly plugins: readonly RegisteredPlugin[];
  /** Every plugin's HTTP APIs. */
  readonly services: readonly RegisteredService[];
  /** Every plugin's background processes. */
  readonly processors: readonly RegisteredProcessor[];
  /** Every Prisma schema fragment. */
  readonly dbSchemas: readonly RegisteredDbSchema[];
  /** Every durable stream topic. */
  readonly streamTopics: readonly RegisteredTopic[];
  /** Every runtime configuration topic. */
  readonly runtimeConfigTopics: readonly RegisteredConfigTopic[];
  /** Every contract version. */
  readonly contractVersions: readonly RegisteredContractVersion[];
}

/** Ports the workspace itself uses, which no plugin service may claim. */
export const RESERVED_PORTS: ReadonlyMap<number, string> = new Map([
  [3000, "the app's own service"],
  [18888, "the Aspire dashboard"],
]);

/**
 * Resource names the workspace itself uses (the app's service, the stores,
 * and the servers the Aspire AppHost declares), which no plugin may claim.
 */
export const RESERVED_RESOURCE_NAMES: ReadonlyMap<string, string> = new Map([
  ["api", "the app's own service"],
  ["db", "the workspace's database"],
  ["cache", "the workspace's cache"],
  ["postgres", "the Aspire AppHost's PostgreSQL server"],
  ["mysql", "the Aspire AppHost's MySQL server"],
  ["sqlserver", "the Aspire AppHost's SQL Server"],
]);

interface Owner {
  plugin: string;
  file: string;
  what: string;
}

/**
 * Composes manifests into a registry. The result does not depend on the order
 * of `sources`. Conflicts are rejected, naming both contributors: two plugins
 * with one name, two resources (services or processors) with one name, two
 * services on one port, and a stream or config topic claimed twice.
 *
 * @param sources The manifests and the files they came from.
 * @returns The registry.
 * @throws {NetScriptError} `PLUGIN_DUPLICATE_NAME`, `PLUGIN_DUPLICATE_SERVICE`,
 * `PLUGIN_DUPLICATE_PROCESSOR`, `PLUGIN_DUPLICATE_RESOURCE`,
 * `PLUGIN_DUPLICATE_PORT`, `PLUGIN_RESERVED_PORT` (3000, 18888),
 * `PLUGIN_RESERVED_NAME` (`api`, `db`, `cache`, and the AppHost's servers),
 * `PLUGIN_DUPLICATE_STREAM_TOPIC` or
 * `PLUGIN_DUPLICATE_CONFIG_TOPIC`, with `details.plugins` and `details.files`.
 *
 * @example
 * ```ts
 * import { composeRegistry, definePlugin } from "@netscript/plugin";
 *
 * const hello = definePlugin("hello", "1.0.0")
 *   .withType("service")
 *   .withService({ name: "hello-api", entrypoint: "./main.ts", port: 8100 })
 *   .build();
 * const registry = composeRegistry([{ manifest: hello, file: "plugins/hello/plugin.ts" }]);
 * console.log(registry.services[0]?.entrypoint); // "plugins/hello/main.ts"
 * ```
 */
export function composeRegistry(sources: readonly ManifestSource[]): Registry {
  const ordered = [...sources].sort((a, b) =>
    _compare(a.manifest.name, b.manifest.name) || _compare(a.file, b.file) ||
    _compare(JSON.stringify(a.manifest), JSON.stringify(b.manifest))
  );
  const names = new Map<string, Owner>();
  for (const { manifest, file } of ordered) {
    _claim(
      names,
      manifest.name,
      { plugin: manifest.name, file, what: `plugin "${manifest.name}"` },
      "PLUGIN_DUPLICATE_NAME",
      "the name",
      "rename one of them",
    );
  }
  const resources = new Map<string, Owner & { kind: "service" | "processor" }>();
  const ports = new Map<number, Owner>();
  const streams = new Map<string, Owner>();
  const configs = new Map<string, Owner>();
  const registry = {
    plugins: [] as RegisteredPlugin[],
    services: [] as RegisteredService[],
    processors: [] as RegisteredProcessor[],
    dbSchemas: [] as RegisteredDbSchema[],
    streamTopics: [] as RegisteredTopic[],
    runtimeConfigTopics: [] as RegisteredConfigTopic[],
    contractVersions: [] as RegisteredContractVersion[],
  };

  for (const { manifest, file } of ordered) {
    const plugin = manifest.name;
    const directory = file.includes("/") ? file.slice(0, file.lastIndexOf("/")) : ".";
    const at = (relative: string) => `${directory}/${relative.replace(/^\.\//, "")}`;
    const owner = (what: string): Owner => ({ plugin, file, what });

    registry.plugins.push({
      name: plugin,
      version: manifest.version,
      type: manifest.type,
      file,
      directory,
      ...(manifest.telemetry ? { telemetryNamespace: manifest.telemetry.namespace } : {}),
      ...(manifest.aspire ? { aspire: at(manifest.aspire) } : {}),
    });

    const addResource = (
      contribution: ServiceContribution | ProcessorContribution,
      kind: "service" | "processor",
    ) => {
      const mine = { ...owner(`${kind} "${contribution.name}"`), kind };
      const reservedFor = RESERVED_RESOURCE_NAMES.get(contribution.name);
      if (reservedFor !== undefined) {
        throw new NetScriptError(
          "PLUGIN_RESERVED_NAME",
          `Cannot register ${kind} "${contribution.name}" of plugin "${plugin}" (${directory}): the name is reserved for ${reservedFor}; choose another name, e.g. "${plugin}-${contribution.name}"`,
          { details: { value: contribution.name, plugins: [plugin], files: [file] } },
        );
      }
      const previous = resources.get(contribution.name);
      if (previous) {
        const code = previous.kind !== kind
          ? "PLUGIN_DUPLICATE_RESOURCE"
          : kind === "service"
          ? "PLUGIN_DUPLICATE_SERVICE"
          : "PLUGIN_DUPLICATE_PROCESSOR";
        throw _conflict(
          code,
          previous,
          mine,
          "the resource name",
          contribution.name,
          "rename one of them",
        );
      }
      resources.set(contribution.name, mine);
      return {
        plugin,
        name: contribution.name,
        entrypoint: at(contribution.entrypoint),
        permissions: contribution.permissions ?? {},
      };
    };

    for (const service of manifest.services) {
      const registered = { ...addResource(service, "service"), port: service.port };
      const reservedFor = RESERVED_PORTS.get(service.port);
      if (reservedFor !== undefined) {
        throw new NetScriptError(
          "PLUGIN_RESERVED_PORT",
          `Cannot register service "${service.name}" of plugin "${plugin}" (${directory}): port ${service.port} is reserved for ${reservedFor}; choose another port`,
          { details: { value: service.port, plugins: [plugin], files: [file] } },
        );
      }
      _claim(
        ports,
        service.port,
        owner(`service "${service.name}"`),
        "PLUGIN_DUPLICATE_PORT",
        "port",
        "change one of the ports",
      );
      registry.services.push(registered);
    }
    for (const processor of manifest.processors) {
      registry.processors.push({
        ...addResource(processor, "processor"),
        concurrency: processor.concurrency ?? 1,
      });
    }
    for (const schema of manifest.dbSchemas) {
      registry.dbSchemas.push({ plugin, path: at(schema.path), engine: schema.engine });
    }
    for (const topic of manifest.streamTopics) {
      _claim(
        streams,
        topic,
        owner(`stream topic "${topic}"`),
        "PLUGIN_DUPLICATE_STREAM_TOPIC",
        "the stream topic",
        "rename one of them",
      );
      registry.streamTopics.push({ plugin, name: topic });
    }
    for (const topic of manifest.runtimeConfigTopics) {
      _claim(
        configs,
        topic.name,
        owner(`config topic "${topic.name}"`),
        "PLUGIN_DUPLICATE_CONFIG_TOPIC",
        "the config topic",
        "rename one of them",
      );
      registry.runtimeConfigTopics.push({
        plugin,
        name: topic.name,
        schemaPath: at(topic.schemaPath),
      });
    }
    for (const version of manifest.contractVersions) {
      registry.contractVersions.push({ plugin, version: version.version, loader: version.loader });
    }
  }
  return registry;
}

function _claim<K>(
  claims: Map<K, Owner>,
  key: K,
  claimant: Owner,
  code: string,
  thing: string,
  fix: string,
): void {
  const previous = claims.get(key);
  if (previous) throw _conflict(code, previous, claimant, thing, key, fix);
  claims.set(key, claimant);
}

function _conflict(
  code: string,
  first: Owner,
  second: Owner,
  thing: string,
  value: unknown,
  fix: string,
): NetScriptError {
  const shown = typeof value === "string" ? `"${value}"` : String(value);
  const label = (owner: Owner) => {
    const folder = owner.file.replace(/\/plugin\.ts$/, "");
    return owner.what.startsWith("plugin ")
      ? `${owner.what} (${folder})`
      : `${owner.what} of plugin "${owner.plugin}" (${folder})`;
  };
  return new NetScriptError(
    code,
    `Cannot register ${label(second)}: ${thing} ${shown} is already used by ${
      label(first)
    }; ${fix}`,
    {
      details: {
        value,
        plugins: [first.plugin, second.plugin],
        files: [first.file, second.file],
      },
    },
  );
}

function _compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
