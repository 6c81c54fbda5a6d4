import { join } from "node:path";
import { NetScriptError } from "@netscript/contracts/errors";
import type { RegisteredTopic, Registry, RuntimeTopic } from "@netscript/plugin";
import type { CliErrorCode } from "../cli_error_codes.ts";
import { exists, staleFiles, writeFilesAtomically } from "../workspace.ts";
import { loadWorkspaceRegistry } from "./load_manifests.ts";
import {
  DEFINITIONS_DIRECTORY,
  type DefinitionsFolderFiles,
  definitionsModulePath,
  REGISTRY_SNAPSHOT,
  renderDefinitionsModule,
  renderRegistrySnapshot,
} from "./render_registry.ts";

/** What a registry generation did. */
export interface RegistryGeneration {
  /** The composed registry (contract loaders absent). */
  registry: Registry;
  /** The generated files, relative to the root. */
  files: string[];
  /** The generated files whose content changed (with `check`: that would change or go). */
  changed: string[];
  /** Generated files no longer generated, removed (with `check`: that would be). */
  removed: string[];
  /** Files the manifests name that do not exist (yet). */
  missing: string[];
}

/** Files earlier versions generated, removed by the next generation. */
const RETIRED_FILES = [".netscript/registry.ts", ".netscript/definitions.ts"];

/**
 * Scans `plugins/*\/plugin.ts`, validates and composes the manifests (each
 * contract version's loader must resolve), and writes
 * `.netscript/registry.json` and, for every plugin,
 * `.netscript/definitions/<slug>.ts`: the plugin's names, telemetry and
 * topic schemas, and the files under each definitions folder it declared.
 * Generated modules of plugins that are gone are removed. Nothing is
 * written unless every step succeeded; with `check`, nothing is written at
 * all.
 *
 * @param root The workspace root.
 * @param options `check: true` to only compare.
 * @returns What was (or would be) written.
 * @throws {NetScriptError} From loading and composing, `PLUGIN_FOLDER_MISMATCH`
 * when a plugin is not in `plugins/<slug>/`, `PLUGIN_SCHEMA_INVALID`
 * for a topic schema that is missing or not a JSON object, and
 * `REGISTRY_STALE` when `check` finds a difference.
 */
export async function generateRegistry(
  root: string,
  options: { check: boolean },
): Promise<RegistryGeneration> {
  const registry = await loadWorkspaceRegistry(root);
  _assertFoldersMatchSlugs(registry);
  const missing = await _missingFiles(root, registry);
  const files = new Map([[REGISTRY_SNAPSHOT, renderRegistrySnapshot(registry)]]);
  const streamTopics = await _topics(root, registry.streamTopics);
  const workspaceStreamTopics = streamTopics.map((topic, i) => ({
    plugin: registry.streamTopics[i]!.plugin,
    ...topic,
  }));
  for (const plugin of registry.plugins) {
    const mine = <T extends { plugin: string }>(items: readonly T[]) =>
      items.filter((item) => item.plugin === plugin.name);
    const folders: DefinitionsFolderFiles[] = [];
    for (const { folder, kind, builder } of mine(registry.definitions)) {
      folders.push({ folder, kind, builder, files: await _definitionFiles(root, folder) });
    }
    files.set(
      definitionsModulePath(plugin.slug),
      renderDefinitionsModule({
        plugin,
        folders,
        configTopics: await _topics(root, mine(registry.runtimeConfigTopics)),
        streamTopics: workspaceStreamTopics
          .filter((topic) => topic.plugin === plugin.name)
          .map(({ name, schema }) => ({ name, schema })),
        workspaceStreamTopics,
      }),
    );
  }
  const leftovers = await _leftovers(root, files);
  if (!options.check) {
    const changed = await writeFilesAtomically(root, files);
    for (const path of leftovers) await Deno.remove(join(root, path));
    return { registry, files: [...files.keys()], changed, removed: leftovers, missing };
  }
  const changed = [...await staleFiles(root, files), ...leftovers];
  if (changed.length > 0) {
    throw new NetScriptError<CliErrorCode>(
      "REGISTRY_STALE",
      `The generated registry is out of date (${
        changed.join(", ")
      }); run netscript registry generate and commit the result`,
      { details: { stale: changed } },
    );
  }
  return { registry, files: [...files.keys()], changed, removed: leftovers, missing };
}

/** A plugin lives in `plugins/<slug>/`: its folder, variables and generated module share one name. */
function _assertFoldersMatchSlugs(registry: Registry): void {
  for (const plugin of registry.plugins) {
    if (plugin.directory === `plugins/${plugin.slug}`) continue;
    throw new NetScriptError<CliErrorCode>(
      "PLUGIN_FOLDER_MISMATCH",
      `Plugin "${plugin.name}" is in ${plugin.directory}, but a plugin of that name belongs in plugins/${plugin.slug}; rename the folder, or rename the plugin in its definePlugin() call (a plugin package must be named like the plugin it scaffolds)`,
      {
        details: {
          plugin: plugin.name,
          directory: plugin.directory,
          expected: `plugins/${plugin.slug}`,
        },
      },
    );
  }
}

/** Generated files that are no longer generated: retired names and modules of removed plugins. */
async function _leftovers(root: string, files: ReadonlyMap<string, string>): Promise<string[]> {
  const found = [...RETIRED_FILES];
  try {
    for await (const entry of Deno.readDir(join(root, DEFINITIONS_DIRECTORY))) {
      if (entry.isFile && entry.name.endsWith(".ts")) {
        found.push(`${DEFINITIONS_DIRECTORY}/${entry.name}`);
      }
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  const stale: string[] = [];
  for (const path of found) {
    if (!files.has(path) && await exists(join(root, path))) stale.push(path);
  }
  return stale.sort();
}

/** Reads each topic's JSON Schema, to embed it in the plugin's module. */
async function _topics(
  root: string,
  topics: readonly RegisteredTopic[],
): Promise<RuntimeTopic[]> {
  const read: RuntimeTopic[] = [];
  for (const { plugin, name, schemaPath } of topics) {
    let schema: unknown;
    try {
      schema = JSON.parse(await Deno.readTextFile(join(root, schemaPath)));
    } catch (error) {
      const why = error instanceof Deno.errors.NotFound
        ? "the file does not exist"
        : `it is not valid JSON (${(error as Error).message})`;
      throw new NetScriptError<CliErrorCode>(
        "PLUGIN_SCHEMA_INVALID",
        `Plugin "${plugin}" names ${schemaPath} as the schema of topic "${name}", but ${why}; write a JSON Schema object there`,
        { details: { plugin, topic: name, path: schemaPath } },
      );
    }
    if (typeof schema !== "object" || schema === null || Array.isArray(schema)) {
      throw new NetScriptError<CliErrorCode>(
        "PLUGIN_SCHEMA_INVALID",
        `Plugin "${plugin}" names ${schemaPath} as the schema of topic "${name}", but it holds no JSON object; write a JSON Schema object there`,
        { details: { plugin, topic: name, path: schemaPath } },
      );
    }
    read.push({ name, schema: schema as RuntimeTopic["schema"] });
  }
  return read;
}

/**
 * The files manifests name that do not exist: reported as warnings, since a
 * plugin may be generated before its entrypoints are written.
 */
async function _missingFiles(root: string, registry: Registry): Promise<string[]> {
  const named = [
    ...registry.services.map((s) => ({
      plugin: s.plugin,
      what: `service "${s.name}"`,
      path: s.entrypoint,
    })),
    ...registry.processors.map((p) => ({
      plugin: p.plugin,
      what: `processor "${p.name}"`,
      path: p.entrypoint,
    })),
    ...registry.dbSchemas.map((d) => ({ plugin: d.plugin, what: "schema fragment", path: d.path })),
    ...registry.plugins.flatMap((p) =>
      p.aspire === undefined
        ? []
        : [{ plugin: p.name, what: "Aspire contribution", path: p.aspire }]
    ),
  ];
  const missing: string[] = [];
  for (const { plugin, what, path } of named) {
    if (!(await exists(join(root, path)))) {
      missing.push(
        `plugin "${plugin}" names ${path} for its ${what}, but that file does not exist`,
      );
    }
  }
  return missing;
}

/**
 * The TypeScript files under a definitions folder, relative to the root,
 * sorted; files and folders starting with `_` or `.`, and tests, are left out.
 */
async function _definitionFiles(root: string, folder: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (path: string) => {
    let entries: Deno.DirEntry[];
    try {
      entries = await Array.fromAsync(Deno.readDir(join(root, path)));
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return;
      throw error;
    }
    for (const entry of entries) {
      const child = `${path}/${entry.name}`;
      if (entry.name.startsWith(".") || entry.name.startsWith("_")) continue;
      if (entry.isDirectory) await walk(child);
      else if (/\.(ts|tsx|mts)$/.test(entry.name) && !/_test\.(ts|tsx|mts)$/.test(entry.name)) {
        found.push(child);
      }
    }
  };
  await walk(folder);
  return found.sort();
}
