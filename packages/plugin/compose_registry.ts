import { NetScriptError } from "@netscript/contracts/errors";
import type { DashboardPanelContribution } from "./dashboard_panel.ts";
import type {
  DbEngine,
  PluginManifest,
  PluginType,
  ProcessorContribution,
  ServiceContribution,
  TelemetryContribution,
} from "./manifest.ts";
import type { DenoPermissions } from "./permissions.ts";
import type { PluginErrorCode } from "./plugin_error_codes.ts";
import { pluginEnvPrefix, pluginSlug } from "./plugin_name.ts";

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
  /** The slug the name stands for, e.g. `workers` for `@netscript/plugin-workers`. */
  readonly slug: string;
  /** The prefix of the variables its processes read, e.g. `WORKERS`. */
  readonly envPrefix: string;
  /** How its telemetry is labelled, when declared. */
  readonly telemetry?: TelemetryContribution;
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

/** A named topic (stream or runtime config), its owner and its schema. */
export interface RegisteredTopic {
  /** The contributing plugin. */
  readonly plugin: string;
  /** The topic name. */
  readonly name: string;
  /** The JSON Schema file, relative to the workspace root. */
  readonly schemaPath: string;
}

/** A workspace folder of user definitions and the plugin that runs them. */
export interface RegisteredDefinitions {
  /** The contributing plugin. */
  readonly plugin: string;
  /** The folder at the workspace root, e.g. `jobs`. */
  readonly folder: string;
  /** The `kind` every definition in it has. */
  readonly kind: string;
  /** The function (or functions) that make one, when named. */
  readonly builder?: string | readonly string[];
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

/** A panel of `netscript dev`'s dashboard and the plugin whose service it calls. */
export type RegisteredDashboardPanel = DashboardPanelContribution & {
  /** The contributing plugin. */
  readonly plugin: string;
};

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
  /** Every folder of user definitions. */
  readonly definitions: readonly RegisteredDefinitions[];
  /** Every durable stream topic. */
  readonly streamTopics: readonly RegisteredTopic[];
  /** Every runtime configuration topic. */
  readonly runtimeConfigTopics: readonly RegisteredTopic[];
  /** Every contract version. */
  readonly contractVersions: readonly RegisteredContractVersion[];
  /** Every panel of `netscript dev`'s dashboard. */
  readonly dashboardPanels: readonly RegisteredDashboardPanel[];
}

/** Ports the workspace itself uses, which no plugin service may claim. */
export const RESERVED_PORTS: ReadonlyMap<number, string> = new Map([
  [3000, "the app's own service"],
  [4400, "the netscript dev dashboard"],
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

/**
 * Composes manifests into a registry. The result does not depend on the order
 * of `sources`. Conflicts are rejected, naming both contributors: two plugins
 * with one name or one slug, two resources (services or processors) with one
 * name, two services on one port, a stream or config topic, a definitions
 * folder or a dashboard panel id claimed twice. A plugin whose required
 * plugins are missing is refused too.
 *
 * @param sources The manifests and the files they came from.
 * @returns The registry.
 * @throws {NetScriptError} `PLUGIN_DUPLICATE_NAME`, `PLUGIN_DUPLICATE_SERVICE`,
 * `PLUGIN_DUPLICATE_PROCESSOR`, `PLUGIN_DUPLICATE_RESOURCE`,
 * `PLUGIN_DUPLICATE_PORT`, `PLUGIN_RESERVED_PORT` (3000, 18888),
 * `PLUGIN_RESERVED_NAME` (`api`, `db`, `cache`, and the AppHost's servers),
 * `PLUGIN_DUPLICATE_STREAM_TOPIC`, `PLUGIN_DUPLICATE_CONFIG_TOPIC`,
 * `PLUGIN_DUPLICATE_DEFINITIONS_FOLDER` or `PLUGIN_DUPLICATE_DASHBOARD_PANEL`,
 * with `details.plugins` and `details.files`; `PLUGIN_REQUIREMENT_MISSING`
 * when a plugin's `requires` names a plugin the sources do not hold.
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
  const claims = new Map<string, Map<unknown, Owner>>();
  const claim: Claim = (kind, key, claimant) => {
    const { code, thing, fix } = CLAIMS[kind];
    const taken = claims.get(kind) ?? new Map<unknown, Owner>();
    claims.set(kind, taken);
    const previous = taken.get(key);
    if (previous) throw _conflict(code, previous, claimant, thing, key, fix);
    taken.set(key, claimant);
  };
  for (const { manifest, file } of ordered) {
    const owner = { plugin: manifest.name, file, what: `plugin "${manifest.name}"` };
    claim("plugin", manifest.name, owner);
    claim("slug", pluginSlug(manifest.name), owner);
  }
  _checkRequirements(ordered);
  const resources = new Map<string, Owner & { kind: string }>();
  const registry: { -readonly [K in keyof Registry]: Registry[K][number][] } = {
    plugins: [],
    services: [],
    processors: [],
    dbSchemas: [],
    definitions: [],
    streamTopics: [],
    runtimeConfigTopics: [],
    contractVersions: [],
    dashboardPanels: [],
  };
  for (const { manifest, file } of ordered) {
    const directory = file.includes("/") ? file.slice(0, file.lastIndexOf("/")) : ".";
    const context: AxisContext = {
      plugin: manifest.name,
      file,
      directory,
      at: (relative) => `${directory}/${relative.replace(/^\.\//, "")}`,
      owner: (what) => ({ plugin: manifest.name, file, what }),
      claim,
      resources,
    };
    for (const key of Object.keys(AXES) as (keyof Registry)[]) {
      (registry[key] as unknown[]).push(...AXES[key](manifest, context));
    }
  }
  return registry;
}

/** Refuses a plugin whose required plugins the sources do not hold, naming both. */
function _checkRequirements(sources: readonly ManifestSource[]): void {
  const present = new Set(sources.map((source) => source.manifest.name));
  for (const { manifest, file } of sources) {
    const missing = (manifest.requires ?? []).find((name) => !present.has(name));
    if (missing === undefined) continue;
    const folder = file.replace(/\/plugin\.ts$/, "");
    throw new NetScriptError<PluginErrorCode>(
      "PLUGIN_REQUIREMENT_MISSING",
      `Cannot register plugin "${manifest.name}" (${folder}): it needs plugin "${missing}", which the workspace does not have; add "${missing}" to the workspace, or remove "${manifest.name}"`,
      { details: { plugins: [manifest.name, missing], files: [file] } },
    );
  }
}

interface Owner {
  plugin: string;
  file: string;
  what: string;
}

/** What each kind of claim is called in a conflict, and what to do about it. */
const CLAIMS = {
  plugin: { code: "PLUGIN_DUPLICATE_NAME", thing: "the name", fix: "rename one of them" },
  slug: {
    code: "PLUGIN_DUPLICATE_NAME",
    thing: "the slug (folder and variable prefix)",
    fix: 'rename one of them so their names differ after the scope and "plugin-"',
  },
  port: { code: "PLUGIN_DUPLICATE_PORT", thing: "port", fix: "change one of the ports" },
  streamTopic: {
    code: "PLUGIN_DUPLICATE_STREAM_TOPIC",
    thing: "the stream topic",
    fix: "rename one of them",
  },
  configTopic: {
    code: "PLUGIN_DUPLICATE_CONFIG_TOPIC",
    thing: "the config topic",
    fix: "rename one of them",
  },
  definitionsFolder: {
    code: "PLUGIN_DUPLICATE_DEFINITIONS_FOLDER",
    thing: "the definitions folder",
    fix: "only one plugin can read a folder; remove one of the plugins or change its folder",
  },
  dashboardPanel: {
    code: "PLUGIN_DUPLICATE_DASHBOARD_PANEL",
    thing: "the dashboard panel id",
    fix: "change the id of one of them",
  },
} as const satisfies Record<string, { code: PluginErrorCode; thing: string; fix: string }>;

type Claim = (kind: keyof typeof CLAIMS, key: unknown, claimant: Owner) => void;

/** What an axis gets to turn one manifest's contributions into registry entries. */
interface AxisContext {
  readonly plugin: string;
  readonly file: string;
  readonly directory: string;
  /** A path relative to the plugin folder, made relative to the workspace root. */
  at(relative: string): string;
  owner(what: string): Owner;
  claim: Claim;
  /** Resource names taken so far, by services and processors alike. */
  resources: Map<string, Owner & { kind: string }>;
}

/**
 * The axes: how each turns a manifest into registry entries, and what it
 * claims. Adding an axis adds a row here.
 */
const AXES: {
  readonly [K in keyof Registry]: (
    manifest: PluginManifest,
    context: AxisContext,
  ) => Registry[K][number][];
} = {
  plugins: (manifest, { plugin, file, directory, at }) => [{
    name: plugin,
    version: manifest.version,
    type: manifest.type,
    file,
    directory,
    slug: pluginSlug(plugin),
    envPrefix: pluginEnvPrefix(plugin),
    ...(manifest.telemetry ? { telemetry: manifest.telemetry } : {}),
    ...(manifest.aspire ? { aspire: at(manifest.aspire) } : {}),
  }],
  services: (manifest, context) =>
    manifest.services.map((service) => {
      const registered = { ..._resource(service, "service", context), port: service.port };
      const reservedFor = RESERVED_PORTS.get(service.port);
      if (reservedFor !== undefined) {
        throw new NetScriptError<PluginErrorCode>(
          "PLUGIN_RESERVED_PORT",
          `Cannot register service "${service.name}" of plugin "${context.plugin}" (${context.directory}): port ${service.port} is reserved for ${reservedFor}; choose another port`,
          { details: { value: service.port, plugins: [context.plugin], files: [context.file] } },
        );
      }
      context.claim("port", service.port, context.owner(`service "${service.name}"`));
      return registered;
    }),
  processors: (manifest, context) =>
    manifest.processors.map((processor) => ({
      ..._resource(processor, "processor", context),
      concurrency: processor.concurrency ?? 1,
    })),
  dbSchemas: (manifest, { plugin, at }) =>
    manifest.dbSchemas.map((schema) => ({ plugin, path: at(schema.path), engine: schema.engine })),
  definitions: (manifest, { plugin, owner, claim }) =>
    manifest.definitions.map(({ folder, kind, builder }) => {
      claim("definitionsFolder", folder, owner(`definitions folder "${folder}/"`));
      return { plugin, folder, kind, ...(builder === undefined ? {} : { builder }) };
    }),
  streamTopics: (manifest, { plugin, at, owner, claim }) =>
    manifest.streamTopics.map((topic) => {
      claim("streamTopic", topic.name, owner(`stream topic "${topic.name}"`));
      return { plugin, name: topic.name, schemaPath: at(topic.schemaPath) };
    }),
  runtimeConfigTopics: (manifest, { plugin, at, owner, claim }) =>
    manifest.runtimeConfigTopics.map((topic) => {
      claim("configTopic", topic.name, owner(`config topic "${topic.name}"`));
      return { plugin, name: topic.name, schemaPath: at(topic.schemaPath) };
    }),
  contractVersions: (manifest, { plugin }) =>
    manifest.contractVersions.map(({ version, loader }) => ({ plugin, version, loader })),
  dashboardPanels: (manifest, { plugin, owner, claim }) =>
    manifest.dashboardPanels.map((panel) => {
      claim("dashboardPanel", panel.id, owner(`dashboard panel "${panel.id}"`));
      return { plugin, ...panel };
    }),
};

/** A service or processor as the registry lists it; its name is unique across both kinds. */
function _resource(
  contribution: ServiceContribution | ProcessorContribution,
  kind: "service" | "processor",
  { plugin, file, directory, at, owner, resources }: AxisContext,
): RegisteredResource {
  const reservedFor = RESERVED_RESOURCE_NAMES.get(contribution.name);
  if (reservedFor !== undefined) {
    throw new NetScriptError<PluginErrorCode>(
      "PLUGIN_RESERVED_NAME",
      `Cannot register ${kind} "${contribution.name}" of plugin "${plugin}" (${directory}): the name is reserved for ${reservedFor}; choose another name, e.g. "${
        pluginSlug(plugin)
      }-${contribution.name}"`,
      { details: { value: contribution.name, plugins: [plugin], files: [file] } },
    );
  }
  const mine = { ...owner(`${kind} "${contribution.name}"`), kind };
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
}

function _conflict(
  code: PluginErrorCode,
  first: Owner,
  second: Owner,
  thing: string,
  value: unknown,
  fix: string,
): NetScriptError<PluginErrorCode> {
  const shown = typeof value === "string" ? `"${value}"` : String(value);
  const label = (owner: Owner) => {
    const folder = owner.file.replace(/\/plugin\.ts$/, "");
    return owner.what.startsWith("plugin ")
      ? `${owner.what} (${folder})`
      : `${owner.what} of plugin "${owner.plugin}" (${folder})`;
  };
  return new NetScriptError<PluginErrorCode>(
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
