/**
 * The `netscript` command line: create workspaces, add and remove plugins,
 * and generate the plugin registry.
 *
 * ```sh
 * deno run --allow-read --allow-write --allow-env --allow-run --allow-net cli/main.ts --help
 * ```
 *
 * @module
 */
import { runCli } from "./src/run_cli.ts";

export { CLI_ERROR_CODES, type CliErrorCode } from "./src/cli_error_codes.ts";
export { runCli, type RunCliOptions } from "./src/run_cli.ts";
export type { Streams } from "./src/output.ts";

if (import.meta.main) Deno.exit(await runCli(Deno.args));
