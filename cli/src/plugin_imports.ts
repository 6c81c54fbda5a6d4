/**
 * The import-map entries a plugin brings, checked so they never replace
 * an entry the workspace already has, and recorded so `plugin remove`
 * takes back exactly what `plugin add` put in.
 *
 * @module
 */
import { dirname, join } from "node:path";
import { NetScriptError } from "@netscript/contracts/errors";
import type { CliErrorCode } from "./cli_error_codes.ts";
import { exists } from "./workspace.ts";

/** Where the entries each plugin added are recorded, relative to the workspace root. */
export const PLUGIN_IMPORTS_FOLDER = ".netscript/plugins";

/** What `plugin add` changed in the import map, as recorded for `plugin remove`. */
export interface PluginImportsRecord {
  /** The entries the plugin added, with the values they were given. */
  readonly added: Readonly<Record<string, string>>;
}

/**
 * The entries of `wanted` the workspace lacks; refuses any that the
 * workspace already maps elsewhere, so a plugin can never shadow the
 * workspace's `zod`, a framework package or another plugin.
 *
 * @param plugin The plugin's name, for the message.
 * @param current The workspace's import map.
 * @param wanted The entries the plugin needs.
 * @returns The entries to add.
 * @throws {NetScriptError} `PLUGIN_IMPORT_CONFLICT` naming every entry the
 * plugin would change, with both values.
 */
export function newPluginImports(
  plugin: string,
  current: Readonly<Record<string, string>>,
  wanted: Readonly<Record<string, string>>,
): Record<string, string> {
  const conflicts = Object.entries(wanted)
    .filter(([key, value]) => Object.hasOwn(current, key) && current[key] !== value)
    .map(([key, value]) => ({ key, workspace: current[key]!, plugin: value }));
  if (conflicts.length > 0) {
    throw new NetScriptError<CliErrorCode>(
      "PLUGIN_IMPORT_CONFLICT",
      `Cannot add plugin "${plugin}": it would change the workspace's import map entr${
        conflicts.length === 1 ? "y" : "ies"
      } ${
        conflicts.map((c) => `"${c.key}" (workspace: ${c.workspace}, plugin: ${c.plugin})`).join(
          ", ",
        )
      }; a plugin never replaces an entry. Align the versions in deno.json, or rename the plugin's package`,
      { details: { plugin, conflicts } },
    );
  }
  return Object.fromEntries(
    Object.entries(wanted).filter(([key]) => !Object.hasOwn(current, key)),
  );
}

/**
 * Records the entries a plugin added.
 *
 * @param root The workspace root.
 * @param plugin The plugin's folder name.
 * @param added The entries it added.
 * @returns The record's path, relative to the root.
 */
export async function recordPluginImports(
  root: string,
  plugin: string,
  added: Readonly<Record<string, string>>,
): Promise<string> {
  const relative = `${PLUGIN_IMPORTS_FOLDER}/${plugin}.json`;
  const file = join(root, relative);
  await Deno.mkdir(dirname(file), { recursive: true });
  const record: PluginImportsRecord = { added };
  await Deno.writeTextFile(file, `${JSON.stringify(record, null, 2)}\n`);
  return relative;
}

/**
 * Reads what a plugin added, when `plugin add` recorded it.
 *
 * @param root The workspace root.
 * @param plugin The plugin's folder name.
 * @returns The record, or `undefined` for a plugin added before records were kept.
 */
export async function readPluginImports(
  root: string,
  plugin: string,
): Promise<PluginImportsRecord | undefined> {
  const file = join(root, PLUGIN_IMPORTS_FOLDER, `${plugin}.json`);
  if (!(await exists(file))) return undefined;
  const parsed = JSON.parse(await Deno.readTextFile(file));
  const added = parsed?.added;
  if (typeof added !== "object" || added === null) return undefined;
  return {
    added: Object.fromEntries(
      Object.entries(added).filter((entry): entry is [string, string] =>
        typeof entry[1] === "string"
      ),
    ),
  };
}

/**
 * The import map after removing what a plugin added: each recorded entry
 * that still has the value the plugin gave it and that no other plugin's
 * record also needs. Without a record, the plugin's package and its
 * subpaths go.
 *
 * @param current The workspace's import map.
 * @param removed The removed plugin's record, and its package name for the fallback.
 * @param others The records of the plugins that stay.
 * @returns The new import map.
 */
export function importsWithout(
  current: Readonly<Record<string, string>>,
  removed: { record: PluginImportsRecord | undefined; packageName: string | undefined },
  others: readonly PluginImportsRecord[],
): Record<string, string> {
  const neededElsewhere = new Set(others.flatMap((record) => Object.keys(record.added)));
  const drop = (key: string, value: string): boolean => {
    if (neededElsewhere.has(key)) return false;
    if (removed.record !== undefined) return removed.record.added[key] === value;
    const name = removed.packageName;
    return name !== undefined && (key === name || key.startsWith(`${name}/`));
  };
  return Object.fromEntries(Object.entries(current).filter(([key, value]) => !drop(key, value)));
}
