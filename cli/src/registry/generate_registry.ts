import { join } from "node:path";
import { NetScriptError } from "@netscript/contracts/errors";
import { composeRegistry, type Registry } from "@netscript/plugin";
import { exists, staleFiles, writeFilesAtomically } from "../workspace.ts";
import { findManifestFiles, loadManifests } from "./load_manifests.ts";
import {
  DEFINITION_FOLDERS,
  DEFINITIONS_MODULE,
  REGISTRY_MODULE,
  REGISTRY_SNAPSHOT,
  renderDefinitionsModule,
  renderRegistryModule,
  renderRegistrySnapshot,
} from "./render_registry.ts";

/** What a registry generation did. */
export interface RegistryGeneration {
  /** The composed registry (contract loaders absent). */
  registry: Registry;
  /** The generated files, relative to the root. */
  files: string[];
  /** The generated files whose content changed (with `check`: that would change). */
  changed: string[];
  /** Files the manifests name that do not exist (yet). */
  missing: string[];
}

/**
 * Scans `plugins/*\/plugin.ts`, validates and composes the manifests, and
 * writes `.netscript/registry.ts` and `.netscript/registry.json`; lists the
 * files under `jobs/` and `schedules/` in `.netscript/definitions.ts`. Nothing is
 * written unless every step succeeded; with `check`, nothing is written at all.
 *
 * @param root The workspace root.
 * @param options `check: true` to only compare.
 * @returns What was (or would be) written.
 * @throws {NetScriptError} From loading and composing, and `REGISTRY_STALE`
 * when `check` finds a difference.
 */
export async function generateRegistry(
  root: string,
  options: { check: boolean },
): Promise<RegistryGeneration> {
  const manifests = await loadManifests(root, await findManifestFiles(root));
  const registry = composeRegistry(
    manifests.map(({ file, manifest }) => ({ file, manifest })),
  );
  const missing = await _missingFiles(root, registry);
  const files = new Map([
    [REGISTRY_MODULE, renderRegistryModule(manifests)],
    [REGISTRY_SNAPSHOT, renderRegistrySnapshot(registry)],
    [DEFINITIONS_MODULE, renderDefinitionsModule(await _definitionFiles(root))],
  ]);
  if (!options.check) {
    const changed = await writeFilesAtomically(root, files);
    return { registry, files: [...files.keys()], changed, missing };
  }
  const changed = await staleFiles(root, files);
  if (changed.length > 0) {
    throw new NetScriptError(
      "REGISTRY_STALE",
      `The generated registry is out of date (${
        changed.join(", ")
      }); run netscript registry generate and commit the result`,
      { details: { stale: changed } },
    );
  }
  return { registry, files: [...files.keys()], changed, missing };
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
    ...registry.runtimeConfigTopics.map((t) => ({
      plugin: t.plugin,
      what: `config topic "${t.name}"`,
      path: t.schemaPath,
    })),
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

/** The TypeScript files under each definition folder, relative to the root, sorted. */
async function _definitionFiles(
  root: string,
): Promise<Record<typeof DEFINITION_FOLDERS[number], string[]>> {
  const found = { jobs: [] as string[], schedules: [] as string[] };
  const walk = async (folder: string, into: string[]) => {
    let entries: Deno.DirEntry[];
    try {
      entries = await Array.fromAsync(Deno.readDir(join(root, folder)));
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return;
      throw error;
    }
    for (const entry of entries) {
      const path = `${folder}/${entry.name}`;
      if (entry.name.startsWith(".") || entry.name.startsWith("_")) continue;
      if (entry.isDirectory) await walk(path, into);
      else if (/\.(ts|tsx|mts)$/.test(entry.name) && !/_test\.(ts|tsx|mts)$/.test(entry.name)) {
        into.push(path);
      }
    }
  };
  for (const folder of DEFINITION_FOLDERS) {
    await walk(folder, found[folder]);
    found[folder].sort();
  }
  return found;
}
