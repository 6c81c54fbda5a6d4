import { join } from "node:path";
import { NetScriptError } from "@netscript/contracts/errors";
import { composeRegistry, type Registry } from "@netscript/plugin";
import { writeFilesAtomically } from "../workspace.ts";
import { findManifestFiles, loadManifests } from "./load_manifests.ts";
import {
  REGISTRY_MODULE,
  REGISTRY_SNAPSHOT,
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
}

/**
 * Scans `plugins/*\/plugin.ts`, validates and composes the manifests, and
 * writes `.netscript/registry.ts` and `.netscript/registry.json`. Nothing is
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
  const files = new Map([
    [REGISTRY_MODULE, renderRegistryModule(manifests)],
    [REGISTRY_SNAPSHOT, renderRegistrySnapshot(registry)],
  ]);
  if (!options.check) {
    const changed = await writeFilesAtomically(root, files);
    return { registry, files: [...files.keys()], changed };
  }
  const changed: string[] = [];
  for (const [path, content] of files) {
    const current = await Deno.readTextFile(join(root, path)).catch(() => undefined);
    if (current !== content) changed.push(path);
  }
  if (changed.length > 0) {
    throw new NetScriptError(
      "REGISTRY_STALE",
      `The generated registry is out of date (${
        changed.join(", ")
      }); run netscript registry generate and commit the result`,
      { details: { stale: changed } },
    );
  }
  return { registry, files: [...files.keys()], changed };
}
