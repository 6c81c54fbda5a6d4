import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { NetScriptError } from "@netscript/contracts/errors";
import { defineConfig, type NetScriptConfig } from "@netscript/plugin";
import type { CliErrorCode } from "../cli_error_codes.ts";
import { CONFIG_FILE } from "../workspace.ts";
import { runWorkspaceScript } from "../workspace_script.ts";

/** The program that imports `netscript.config.ts` and reports its default export or its error. */
const PROGRAM = `
const [out] = Deno.args;
let result;
try {
  const module = await load();
  result = { config: JSON.parse(JSON.stringify(module.default ?? null)) };
} catch (error) {
  result = {
    message: String(error?.message ?? error).split("\\n")[0],
    code: typeof error?.code === "string" && typeof error?.details === "object" ? error.code : undefined,
    details: error?.details,
  };
}
await Deno.writeTextFile(out, JSON.stringify(result));
`;

type _Result =
  | { config: unknown }
  | { message: string; code?: string; details?: Record<string, unknown> };

/**
 * Reads `netscript.config.ts` by running it, as manifests are loaded: in a
 * Deno subprocess with the workspace's import map and read access only,
 * then validates its default export with `defineConfig`. A commented-out
 * line is a comment, and a file that does not compile is an error.
 *
 * @param root The workspace root.
 * @returns The configuration.
 * @throws {NetScriptError} `CONFIG_LOAD_FAILED` when the file cannot be
 * imported (a syntax error, a missing import); `CONFIG_INVALID` (from
 * `@netscript/plugin`) naming each bad field.
 */
export async function readWorkspaceConfig(root: string): Promise<NetScriptConfig> {
  const url = pathToFileURL(join(root, CONFIG_FILE)).href;
  const result = await runWorkspaceScript(
    root,
    `const load = () => import(${JSON.stringify(url)});\n${PROGRAM}`,
    [],
    { code: "CONFIG_LOAD_FAILED", doing: `read ${CONFIG_FILE}` },
  ) as _Result;
  if ("config" in result) return defineConfig(result.config as NetScriptConfig);
  if (result.code !== undefined) {
    throw new NetScriptError<string>(result.code, `${CONFIG_FILE}: ${result.message}`, {
      details: { ...result.details, file: CONFIG_FILE },
    });
  }
  throw new NetScriptError<CliErrorCode>(
    "CONFIG_LOAD_FAILED",
    `Cannot import ${CONFIG_FILE}: ${result.message}; fix the file so it compiles and default-exports defineConfig({ … })`,
    { details: { file: CONFIG_FILE } },
  );
}
