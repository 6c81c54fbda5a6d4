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
 * Writes files so that either all of them change or none does. Each file
 * that differs is first written to a temporary sibling; then each is renamed
 * into place (so a file is never missing, even if the process is killed),
 * a copy of the file it replaces kept until every rename is done. A failure
 * part way puts the replaced files back, removes every temporary file and
 * copy, and leaves the files as they were. The temporary files and copies
 * that a killed write left beside the files are removed first
 * ({@linkcode removeLeftoverWrites}).
 *
 * @param root The folder the paths are relative to.
 * @param files Contents by relative path.
 * @returns The relative paths whose content changed.
 * @throws {NetScriptError} `WORKSPACE_WRITE_FAILED`, naming the file, when
 * one cannot be written (e.g. a folder is in its place); no file changed.
 */
export async function writeFilesAtomically(
  root: string,
  files: ReadonlyMap<string, string>,
): Promise<string[]> {
  await removeLeftoverWrites(new Set([...files.keys()].map((path) => dirname(join(root, path)))));
  const changed = await staleFiles(root, files);
  const suffix = `netscript-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`;
  const staged = changed.map((path): _StagedFile => {
    const target = join(root, path);
    return {
      path,
      target,
      temporary: `${target}.tmp-${suffix}`,
      backup: `${target}.old-${suffix}`,
    };
  });
  const replaced: { file: _StagedFile; existed: boolean }[] = [];
  let current = "";
  try {
    for (const file of staged) {
      current = file.path;
      await Deno.mkdir(dirname(file.target), { recursive: true });
      await Deno.writeTextFile(file.temporary, files.get(file.path)!);
    }
    for (const file of staged) {
      current = file.path;
      const existing = await Deno.lstat(file.target).catch((error) => {
        if (error instanceof Deno.errors.NotFound) return undefined;
        throw error;
      });
      if (existing !== undefined && !existing.isFile) {
        throw new Error(`a ${existing.isDirectory ? "folder" : "link"} is in its place`);
      }
      if (existing !== undefined) await Deno.copyFile(file.target, file.backup);
      replaced.push({ file, existed: existing !== undefined });
      await Deno.rename(file.temporary, file.target);
    }
  } catch (error) {
    await _undo(staged, replaced);
    throw new NetScriptError<CliErrorCode>(
      "WORKSPACE_WRITE_FAILED",
      `Cannot write ${current}: ${
        error instanceof Error ? error.message : String(error)
      }; no file was changed. Fix it and run the command again`,
      { details: { root, file: current }, cause: error },
    );
  }
  for (const { file, existed } of replaced) if (existed) await Deno.remove(file.backup);
  return changed;
}

/** The temporary siblings {@linkcode writeFilesAtomically} names `<file>.tmp-netscript-<pid>-<id>` and `<file>.old-netscript-<pid>-<id>`. */
const LEFTOVER = /\.(?:tmp|old)-netscript-\d+-[0-9a-f]{8}$/;

/**
 * How long after its last change a temporary sibling counts as left by a
 * write that was killed: a write takes milliseconds.
 */
const LEFTOVER_AFTER_MS = 60_000;

/**
 * Removes the temporary files and copies that a killed
 * {@linkcode writeFilesAtomically} left in some folders: a write removes its
 * own, but not when it is killed (SIGKILL) part way. Only those unchanged
 * for a minute are removed, so a write in progress in another process keeps
 * its own.
 *
 * @param folders The folders to clean; one that is missing or not a folder is skipped.
 * @param now The current time, in milliseconds.
 * @returns The files removed.
 */
export async function removeLeftoverWrites(
  folders: Iterable<string>,
  now: number = Date.now(),
): Promise<string[]> {
  const removed: string[] = [];
  for (const folder of folders) {
    const entries = await Array.fromAsync(Deno.readDir(folder)).catch((error) => {
      // Missing, or a file in its place: nothing left there; the write reports the file.
      if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
        return [];
      }
      throw error;
    });
    for (const entry of entries) {
      if (!entry.isFile || !LEFTOVER.test(entry.name)) continue;
      const path = join(folder, entry.name);
      const changed = (await Deno.lstat(path)).mtime?.getTime();
      if (changed === undefined || now - changed < LEFTOVER_AFTER_MS) continue;
      await Deno.remove(path);
      removed.push(path);
    }
  }
  return removed;
}

/** A file {@linkcode writeFilesAtomically} writes, and its temporary siblings. */
interface _StagedFile {
  /** Relative to the root. */
  path: string;
  /** Where it goes. */
  target: string;
  /** The new content, until renamed into place. */
  temporary: string;
  /** A copy of the file it replaces, until every file is in place. */
  backup: string;
}

/**
 * Puts back the files a failed write replaced, newest first (a file that
 * did not exist is removed), and removes every temporary file and copy.
 */
async function _undo(
  staged: readonly _StagedFile[],
  replaced: readonly { file: _StagedFile; existed: boolean }[],
): Promise<void> {
  for (const { file, existed } of [...replaced].reverse()) {
    if (existed) await Deno.rename(file.backup, file.target);
    else await Deno.remove(file.target).catch(_ignoreMissing);
  }
  for (const file of staged) {
    await Deno.remove(file.temporary).catch(_ignoreMissing);
    await Deno.remove(file.backup).catch(_ignoreMissing);
  }
}

/** Ignores a file that is not there (or cannot be, under a file); rethrows anything else. */
function _ignoreMissing(error: unknown): void {
  if (!(error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory)) {
    throw error;
  }
}
