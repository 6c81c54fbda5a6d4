import { join } from "node:path";
import { NetScriptError } from "@netscript/contracts/errors";
import {
  CACHE_BACKENDS,
  type CacheBackend,
  DB_ENGINES,
  type DbEngine,
  defineConfig,
  type NetScriptConfig,
} from "@netscript/plugin";
import type { CliErrorCode } from "../cli_error_codes.ts";
import { CONFIG_FILE } from "../workspace.ts";
import { readInstalledPlugins } from "../workspace_files.ts";

/**
 * Reads `netscript.config.ts` as the CLI scaffolds it (engine, backend,
 * plugins, aspire), without running it.
 *
 * @param root The workspace root.
 * @returns The configuration.
 * @throws {NetScriptError} `CONFIG_UNEDITABLE` when a field cannot be found.
 */
export async function readWorkspaceConfig(root: string): Promise<NetScriptConfig> {
  const source = await Deno.readTextFile(join(root, CONFIG_FILE));
  const field = <T extends string>(pattern: RegExp, allowed: readonly T[], label: string): T => {
    const value = source.match(pattern)?.[1];
    if (!value || !(allowed as readonly string[]).includes(value)) {
      throw new NetScriptError<CliErrorCode>(
        "CONFIG_UNEDITABLE",
        `Cannot read ${label} from ${CONFIG_FILE}; it must be one of ${allowed.join(", ")}`,
      );
    }
    return value as T;
  };
  return defineConfig({
    db: { engine: field<DbEngine>(/engine:\s*"([\w-]+)"/, DB_ENGINES, "db.engine") },
    cache: {
      backend: field<CacheBackend>(/backend:\s*"([\w-]+)"/, CACHE_BACKENDS, "cache.backend"),
    },
    plugins: readInstalledPlugins(source),
    aspire: !/aspire:\s*false/.test(source),
  });
}
