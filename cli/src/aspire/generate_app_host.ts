import { NetScriptError } from "@netscript/contracts/errors";
import { appHostFiles, buildAppHostModel } from "@netscript/aspire";
import {
  assertPermissionsGranted,
  buildResourceGraph,
  type NetScriptConfig,
  type Registry,
} from "@netscript/plugin";
import type { CliErrorCode } from "../cli_error_codes.ts";
import type { FlagSpec } from "../command.ts";
import { readWorkspaceConfig } from "../dev/workspace_config.ts";
import { generateRegistry } from "../registry/generate_registry.ts";
import { staleFiles, writeFilesAtomically } from "../workspace.ts";
import { loadContributions } from "./load_contributions.ts";

/** The `--no-aspire` flag of `plugin add` and `plugin remove`. */
export const NO_ASPIRE_FLAG: FlagSpec = {
  type: "boolean",
  description:
    "Leave aspire/ as it is (by default it is regenerated when the workspace uses Aspire)",
  default: false,
};

/** The AppHost's folder, relative to the workspace root. */
export const APPHOST_DIR = "aspire";

/** What an AppHost generation did. */
export interface AppHostGeneration {
  /** The generated files, relative to the workspace root. */
  files: string[];
  /** The generated files whose content changed (with `check`: that would change). */
  changed: string[];
}

/**
 * Writes the workspace's Aspire AppHost into `aspire/` from the resource
 * graph (ports as the manifests declare them) and the plugins' Aspire
 * contributions. Every file is written only if all of them could be built;
 * with `check`, nothing is written at all.
 *
 * @param root The workspace root.
 * @param options `check: true` to only compare; the registry, when the
 * caller has just generated it; the configuration, when the caller has it
 * (otherwise `netscript.config.ts` is read).
 * @returns What was (or would be) written.
 * @throws {NetScriptError} From the registry, the contributions and the
 * model, and `ASPIRE_STALE` when `check` finds a difference.
 */
export async function generateAppHost(
  root: string,
  options: { check: boolean; registry?: Registry; config?: NetScriptConfig },
): Promise<AppHostGeneration> {
  const config = options.config ?? await readWorkspaceConfig(root);
  const registry = options.registry ??
    (await generateRegistry(root, { check: options.check })).registry;
  assertPermissionsGranted(registry, config.permissions);
  const graph = buildResourceGraph(config, registry);
  const model = buildAppHostModel(graph, await loadContributions(root, registry));
  const files = new Map(
    Object.entries(appHostFiles(model)).map((
      [path, content],
    ) => [`${APPHOST_DIR}/${path}`, content]),
  );
  if (!options.check) {
    return { files: [...files.keys()], changed: await writeFilesAtomically(root, files) };
  }
  const changed = await staleFiles(root, files);
  if (changed.length > 0) {
    throw new NetScriptError<CliErrorCode>(
      "ASPIRE_STALE",
      `The Aspire AppHost is out of date (${
        changed.join(", ")
      }); run netscript aspire generate and commit the result`,
      { details: { stale: changed } },
    );
  }
  return { files: [...files.keys()], changed };
}

/**
 * Regenerates the AppHost after the plugins changed, when the workspace uses
 * Aspire (`aspire: true` in `netscript.config.ts`) and the user did not opt out.
 *
 * @param root The workspace root.
 * @param options The just-generated registry, `skip: true` for
 * `--no-aspire`, and the configuration when the caller has read it
 * (otherwise `netscript.config.ts` is read once here).
 * @returns The files written, or none.
 */
export async function regenerateAppHost(
  root: string,
  options: { registry: Registry; skip: boolean; config?: NetScriptConfig },
): Promise<string[]> {
  if (options.skip) return [];
  const config = options.config ?? await readWorkspaceConfig(root);
  if (!config.aspire) return [];
  return (await generateAppHost(root, { check: false, registry: options.registry, config }))
    .changed;
}
