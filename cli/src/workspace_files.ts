import { join } from "node:path";
import { NetScriptError } from "@netscript/contracts/errors";
import type { InstalledPlugin } from "@netscript/plugin";
import type { CliErrorCode } from "./cli_error_codes.ts";
import { sortImports } from "./import_map.ts";
import { CONFIG_FILE } from "./workspace.ts";

const PLUGINS_LIST = /plugins:\s*\[([^\]]*)\]/;
const PLUGIN_ENTRY = /\{\s*name:\s*"([^"]+)",\s*package:\s*"([^"]+)"\s*,?\s*\}/g;

/**
 * Reads the `plugins` list of `netscript.config.ts`.
 *
 * @param source The file's text.
 * @returns The installed plugins.
 * @throws {NetScriptError} `CONFIG_UNEDITABLE` when the list cannot be found.
 */
export function readInstalledPlugins(source: string): InstalledPlugin[] {
  const list = source.match(PLUGINS_LIST);
  if (!list) {
    throw new NetScriptError<CliErrorCode>(
      "CONFIG_UNEDITABLE",
      `Cannot find the plugins list in ${CONFIG_FILE}; it must contain plugins: [ … ] with entries like { name: "workers", package: "@netscript/plugin-workers" }`,
    );
  }
  return [...list[1]!.matchAll(PLUGIN_ENTRY)].map((m) => ({ name: m[1]!, package: m[2]! }));
}

/**
 * Rewrites the `plugins` list of `netscript.config.ts`, keeping the rest.
 *
 * @param source The file's text.
 * @param plugins The new list.
 * @returns The new text.
 */
export function writeInstalledPlugins(source: string, plugins: readonly InstalledPlugin[]): string {
  readInstalledPlugins(source);
  const sorted = [...plugins].sort((a, b) => (a.name < b.name ? -1 : 1));
  const rendered = sorted.length === 0
    ? "plugins: []"
    : `plugins: [\n${
      sorted.map((p) => `    { name: "${p.name}", package: "${p.package}" },`).join("\n")
    }\n  ]`;
  return source.replace(PLUGINS_LIST, rendered);
}

/** A workspace's `deno.json`, as parsed JSON. */
export type DenoConfig = Record<string, unknown> & { imports?: Record<string, string> };

/**
 * Reads a workspace's `deno.json`.
 *
 * @param root The workspace root.
 * @returns The parsed file.
 */
export async function readDenoConfig(root: string): Promise<DenoConfig> {
  return JSON.parse(await Deno.readTextFile(join(root, "deno.json")));
}

/**
 * Renders a `deno.json` with its imports sorted.
 *
 * @param config The configuration.
 * @returns The file's text.
 */
export function renderDenoConfig(config: DenoConfig): string {
  return `${JSON.stringify({ ...config, imports: sortImports(config.imports ?? {}) }, null, 2)}\n`;
}
