import { dirname, join } from "node:path";
import { NetScriptError } from "@netscript/contracts/errors";
import type { CliErrorCode } from "./cli_error_codes.ts";

/** The prefix of the temporary folder each run works in. */
const SCRIPT_DIR_PREFIX = "netscript-script-";

/**
 * How long after its last change a script folder counts as left behind by
 * a run that was killed: far longer than any run takes.
 */
const STALE_AFTER_MS = 10 * 60_000;

/**
 * Removes the script folders that killed runs left in a temporary folder:
 * each run removes its own, but not when it is killed (SIGKILL).
 *
 * @param parent The temporary folder.
 * @param now The current time, in milliseconds.
 * @returns The folders removed.
 */
export async function removeStaleScriptDirs(
  parent: string,
  now: number = Date.now(),
): Promise<string[]> {
  const removed: string[] = [];
  for await (const entry of Deno.readDir(parent)) {
    if (!entry.isDirectory || !entry.name.startsWith(SCRIPT_DIR_PREFIX)) continue;
    const path = join(parent, entry.name);
    // Another run may remove it between the listing and this look.
    const changed = (await Deno.lstat(path).catch(() => undefined))?.mtime?.getTime();
    if (changed === undefined || now - changed < STALE_AFTER_MS) continue;
    try {
      await Deno.remove(path, { recursive: true });
      removed.push(path);
    } catch (error) {
      // Gone already, or another user's in a shared temporary folder: not ours to remove.
      if (
        !(error instanceof Deno.errors.NotFound || error instanceof Deno.errors.PermissionDenied)
      ) {
        throw error;
      }
    }
  }
  return removed;
}

/**
 * Gives a `deno` subprocess the workspace's lockfile without letting it
 * write the workspace's own: the lockfile is copied into `directory` and
 * the flag names the copy. With a lockfile, `deno` does not resolve every
 * npm package again (a run takes less than half the time); a copy that is
 * out of date is brought up to date in place, never the original.
 *
 * @param root The workspace root.
 * @param directory A temporary folder of the caller's, removed by it.
 * @returns `--lock=<copy>`, or `--no-lock` when the workspace has no lockfile.
 */
export async function lockfileCopy(root: string, directory: string): Promise<string> {
  const copy = join(directory, "deno.lock");
  return await Deno.copyFile(join(root, "deno.lock"), copy).then(
    () => `--lock=${copy}`,
    () => "--no-lock",
  );
}

/**
 * Runs a small program in a Deno subprocess with the workspace's own
 * configuration (so its import map and versions apply), with read access
 * and write access to its output file only, and returns the JSON the
 * program wrote there. The program receives the output file as its first
 * argument and the workspace root as its second. It works in a temporary
 * folder it removes when done, and removes those that runs killed before
 * they could ({@linkcode removeStaleScriptDirs}).
 *
 * @param root The workspace root.
 * @param program The program's source (TypeScript).
 * @param args More arguments after the output file and the root.
 * @param failure The error code and what was being done, for the error.
 * @returns What the program wrote, parsed.
 * @throws {NetScriptError} With `failure.code` when the program fails or writes nothing.
 */
export async function runWorkspaceScript(
  root: string,
  program: string,
  args: readonly string[],
  failure: { code: CliErrorCode; doing: string },
): Promise<unknown> {
  const directory = await Deno.makeTempDir({ prefix: SCRIPT_DIR_PREFIX });
  await removeStaleScriptDirs(dirname(directory));
  const script = join(directory, "script.ts");
  const out = join(directory, "out.json");
  try {
    await Deno.writeTextFile(script, program);
    const lock = await lockfileCopy(root, directory);
    const child = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--quiet",
        lock,
        "--no-check",
        "--config",
        join(root, "deno.json"),
        "--allow-read",
        `--allow-write=${out}`,
        script,
        out,
        root,
        ...args,
      ],
      cwd: root,
      env: { NO_COLOR: "1" },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = await Deno.readTextFile(out).catch(() => "");
    if (!child.success || text === "") {
      const stderr = new TextDecoder().decode(child.stderr).trim();
      throw new NetScriptError<CliErrorCode>(
        failure.code,
        `Cannot ${failure.doing}: deno exited with code ${child.code}: ${stderr}`,
        { details: { root, args } },
      );
    }
    return JSON.parse(text);
  } finally {
    await Deno.remove(directory, { recursive: true }).catch(() => {});
  }
}
