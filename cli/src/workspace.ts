import { dirname, join, resolve } from "node:path";
import { NetScriptError } from "@netscript/contracts/errors";
import type { CliErrorCode } from "./cli_error_codes.ts";

/** The workspace configuration file that marks a workspace's root. */
export const CONFIG_FILE = "netscript.config.ts";

/** The folder of generated files. */
export const GENERATED_DIR = ".netscript";

/**
 * Finds the workspace root: the nearest folder, from `cwd` upwards, holding
 * `netscript.config.ts`.
 *
 * @param cwd Where to start.
 * @returns The root's absolute path.
 * @throws {NetScriptError} `WORKSPACE_NOT_FOUND`.
 */
export async function findWorkspaceRoot(cwd: string): Promise<string> {
  let dir = resolve(cwd);
  while (true) {
    try {
      await Deno.stat(join(dir, CONFIG_FILE));
      return dir;
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new NetScriptError<CliErrorCode>(
    "WORKSPACE_NOT_FOUND",
    `No ${CONFIG_FILE} in ${
      resolve(cwd)
    } or its parents; run this inside a NetScript workspace, or create one with netscript init <dir>`,
    { details: { cwd: resolve(cwd) } },
  );
}

/**
 * Tells whether a path exists.
 *
 * @param path The path.
 * @returns `true` when it exists.
 */
export async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/**
 * The files whose content on disk differs from what they should hold.
 *
 * @param root The folder the paths are relative to.
 * @param files Contents by relative path.
 * @returns The relative paths that differ (or do not exist).
 */
export async function staleFiles(
  root: string,
  files: ReadonlyMap<string, string>,
): Promise<string[]> {
  const stale: string[] = [];
  for (const [path, content] of files) {
    const current = await Deno.readTextFile(join(root, path)).catch(() => undefined);
    if (current !== content) stale.push(path);
  }
  return stale;
}

/**
 * Writes files so that either all of them change or none does: each is
 * written to a temporary file first, then renamed into place.
 *
 * @param root The folder the paths are relative to.
 * @param files Contents by relative path.
 * @returns The relative paths whose content changed.
 */
export async function writeFilesAtomically(
  root: string,
  files: ReadonlyMap<string, string>,
): Promise<string[]> {
  const changed = await staleFiles(root, files);
  const staged: [string, string][] = [];
  try {
    for (const path of changed) {
      const target = join(root, path);
      await Deno.mkdir(dirname(target), { recursive: true });
      const temporary = `${target}.tmp-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`;
      await Deno.writeTextFile(temporary, files.get(path)!);
      staged.push([temporary, target]);
    }
    for (const [temporary, target] of staged) await Deno.rename(temporary, target);
  } catch (error) {
    for (const [temporary] of staged) await Deno.remove(temporary).catch(() => {});
    throw error;
  }
  return changed;
}
