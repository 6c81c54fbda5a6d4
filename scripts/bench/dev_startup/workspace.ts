/**
 * Builds the benchmark workspace: the generated plugin packages, then
 * `netscript init app --db sqlite --cache-backend deno-kv --no-aspire --link
 * <repo> --plugins …`, run as a real CLI process the way a workspace's
 * `deno task netscript` runs it.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { BENCH_PLUGINS, writePluginPackage } from "./plugin_packages.ts";
import { track } from "./processes.ts";

/** The repository root: the checkout the workspace links to. */
export const REPO_ROOT: string = fileURLToPath(new URL("../../../", import.meta.url)).replace(
  /\/$/,
  "",
);

/** The permissions a workspace's `deno task netscript` grants the CLI. */
const CLI_PERMISSIONS = [
  "--allow-read",
  "--allow-write",
  "--allow-env",
  "--allow-run",
  "--allow-net",
  "--allow-sys",
  "--allow-ffi",
] as const;

/**
 * The `deno` arguments that run the CLI of this checkout as a real process.
 *
 * @param args The CLI's arguments.
 * @returns The arguments after `deno`.
 */
export function netscriptArgs(...args: string[]): string[] {
  return ["run", "--quiet", ...CLI_PERMISSIONS, `${REPO_ROOT}/cli/main.ts`, ...args];
}

/**
 * Writes the plugin packages into `parent` and creates the workspace
 * `parent/app` with all of them added.
 *
 * @param parent An empty folder.
 * @returns The workspace root.
 * @throws {Error} When `netscript init` fails.
 */
export async function createBenchWorkspace(parent: string): Promise<string> {
  const packages: string[] = [];
  for (const plugin of BENCH_PLUGINS) packages.push(await writePluginPackage(parent, plugin));
  const child = track(
    new Deno.Command(Deno.execPath(), {
      args: netscriptArgs(
        "init",
        "app",
        "--db",
        "sqlite",
        "--cache-backend",
        "deno-kv",
        "--no-aspire",
        "--link",
        REPO_ROOT,
        "--plugins",
        packages.join(","),
      ),
      cwd: parent,
      env: { NO_COLOR: "1" },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn(),
  );
  const init = await child.output();
  if (!init.success) {
    throw new Error(`netscript init failed: ${new TextDecoder().decode(init.stderr)}`);
  }
  return `${parent}/app`;
}
