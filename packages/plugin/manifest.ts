import type { DashboardPanelContribution } from "./dashboard_panel.ts";
import type { DenoPermissions } from "./permissions.ts";

/**
 * What a plugin is, for tools and people reading the registry:
 * `service` contributes an HTTP API, `background-processor` contributes
 * processors (and usually an API to manage them), `library` contributes
 * neither (schemas, topics or code only).
 */
export const PLUGIN_TYPES = ["service", "background-processor", "library"] as const;

/** One of {@linkcode PLUGIN_TYPES}. */
export type PluginType = typeof PLUGIN_TYPES[number];

/** The database engines a schema fragment can target. */
export const DB_ENGINES = ["postgres", "mysql", "mssql", "sqlite"] as const;

/** One of {@linkcode DB_ENGINES}. */
export type DbEngine = typeof DB_ENGINES[number];

/** An HTTP API the plugin runs as its own process. */
export interface ServiceContribution<TName extends string = string> {
  /** The resource name, unique in the workspace, e.g. `workers-api`. */
  readonly name: TName;
  /** The entrypoint, relative to the plugin folder, e.g. `./services/src/main.ts`. */
  readonly entrypoint: string;
  /** The default port; the host may re-allocate it. */
  readonly port: number;
  /** Permissions beyond serving HTTP on its port. */
  readonly permissions?: DenoPermissions | undefined;
}

/** A background process the plugin runs (a worker, a scheduler, a consumer). */
export interface ProcessorContribution<TName extends string = string> {
  /** The resource name, unique in the workspace, e.g. `workers-worker`. */
  readonly name: TName;
  /** The entrypoint, relative to the plugin folder, e.g. `./bin/worker.ts`. */
  readonly entrypoint: string;
  /** How many units of work one process runs at once (`WORKER_CONCURRENCY`). */
  readonly concurrency?: number | undefined;
  /** What the process needs: database, cache, queues, files. */
  readonly permissions?: DenoPermissions | undefined;
}

/** A Prisma schema fragment the plugin owns, merged into the workspace schema. */
export interface DbSchemaContribution {
  /** The `.prisma` file, relative to the plugin folder. */
  readonly path: string;
  /** The engine the fragment is written for. */
  readonly engine: DbEngine;
}

/**
 * A runtime configuration topic with its JSON Schema: its processes read
 * and watch its value, and `netscript config set` changes it.
 */
export interface RuntimeConfigTopicContribution {
  /** The topic name, unique in the workspace, e.g. `workers`. */
  readonly name: string;
  /** The JSON Schema file, relative to the plugin folder. */
  readonly schemaPath: string;
}

/** A durable stream topic the plugin produces: its name and the JSON Schema of its events. */
export interface StreamTopicContribution {
  /** The topic name, unique in the workspace, e.g. `orders.created`. */
  readonly name: string;
  /** The JSON Schema file of one event, relative to the plugin folder. */
  readonly schemaPath: string;
}

/**
 * A workspace folder the plugin reads user definitions from: every
 * TypeScript file under it default-exports one definition of `kind`, e.g.
 * `{ folder: "mails", kind: "mail", builder: "defineMail" }`. A folder whose
 * files may use one of several builders names them all, e.g.
 * `builder: ["defineMail", "defineDigest"]`.
 */
export interface DefinitionsContribution {
  /** The folder at the workspace root, unique in the workspace, e.g. `jobs`. */
  readonly folder: string;
  /** The `kind` field every definition in it has, e.g. `job`. */
  readonly kind: string;
  /** The function (or functions) that make one, named in errors, e.g. `defineJob`. */
  readonly builder?: string | readonly string[] | undefined;
}

/** One version of the plugin's API contract. */
export interface ContractVersionContribution {
  /** The version, `v1`, `v2`, … */
  readonly version: string;
  /** Loads the contract module (a dynamic import), so nothing loads at declaration time. */
  readonly loader: () => Promise<unknown>;
}

/** How the plugin's telemetry is labelled. */
export interface TelemetryContribution {
  /** Prefix of the plugin's span and metric names, e.g. `workers`. */
  readonly namespace: string;
  /** Extra OpenTelemetry resource attributes for the plugin's processes. */
  readonly resourceAttributes?: Readonly<Record<string, string>> | undefined;
}

/**
 * A plugin's manifest: what it contributes, named against the fixed axes.
 * Built by `definePlugin(name, version).with…().build()`; deeply frozen.
 */
export interface PluginManifest<
  TName extends string = string,
  TType extends PluginType = PluginType,
  TServices extends readonly ServiceContribution[] = readonly ServiceContribution[],
  TProcessors extends readonly ProcessorContribution[] = readonly ProcessorContribution[],
> {
  /** The plugin name, unique in the workspace, e.g. `@netscript/plugin-workers`. */
  readonly name: TName;
  /** The plugin's semantic version. */
  readonly version: string;
  /** What kind of plugin it is. */
  readonly type: TType;
  /** HTTP APIs, each its own process. */
  readonly services: TServices;
  /** Background processes. */
  readonly processors: TProcessors;
  /** Prisma schema fragments. */
  readonly dbSchemas: readonly DbSchemaContribution[];
  /** Workspace folders of user definitions the plugin runs. */
  readonly definitions: readonly DefinitionsContribution[];
  /** Durable stream topics the plugin produces. */
  readonly streamTopics: readonly StreamTopicContribution[];
  /** Runtime configuration topics. */
  readonly runtimeConfigTopics: readonly RuntimeConfigTopicContribution[];
  /** Versions of the plugin's API contract. */
  readonly contractVersions: readonly ContractVersionContribution[];
  /** Panels `netscript dev`'s dashboard shows, each over one of the plugin's services. */
  readonly dashboardPanels: readonly DashboardPanelContribution[];
  /** Telemetry labelling, when declared. */
  readonly telemetry?: TelemetryContribution | undefined;
  /** The Aspire contribution module, relative to the plugin folder. */
  readonly aspire?: string | undefined;
  /**
   * Other plugins, by name, this one cannot run without (e.g. a plugin
   * whose processes start another plugin's work); a registry without them is refused.
   */
  readonly requires?: readonly string[] | undefined;
}

const MANIFEST_BRAND = Symbol.for("netscript.plugin.manifest");

/**
 * Marks a value as a manifest produced by `build()`.
 *
 * @param manifest The validated manifest, before freezing.
 */
export function brandManifest(manifest: object): void {
  Object.defineProperty(manifest, MANIFEST_BRAND, { value: true, enumerable: false });
}

/**
 * Tells whether a value is a manifest produced by `definePlugin(…).build()`.
 *
 * @param value Anything, e.g. the default export of a `plugin.ts`.
 * @returns `true` for a built manifest.
 *
 * @example
 * ```ts
 * import { definePlugin, isPluginManifest } from "@netscript/plugin";
 *
 * console.log(isPluginManifest(definePlugin("hello", "1.0.0").build())); // true
 * console.log(isPluginManifest({ name: "hello" })); // false
 * ```
 */
export function isPluginManifest(value: unknown): value is PluginManifest {
  return typeof value === "object" && value !== null &&
    (value as Record<symbol, unknown>)[MANIFEST_BRAND] === true;
}
