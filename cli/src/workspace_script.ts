import { join } from "node:path";
import { NetScriptError } from "@netscript/contracts/errors";
import type { CliErrorCode } from "./cli_error_codes.ts";

/**
 * Runs a small program in a Deno subprocess with the workspace's own
 * configuration (so its import map and versions apply), with read access
 * and write access to its output file only, and returns the JSON the
 * program wrote there. The program receives the output file as its first
 * argument and the workspace root as its second.
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
  const directory = await Deno.makeTempDir({ prefix: "netscript-script-" });
  const script = join(directory, "script.ts");
  const out = join(directory, "out.json");
  try {
    await Deno.writeTextFile(script, program);
    const child = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--quiet",
        "--no-lock",
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
