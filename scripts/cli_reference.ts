/**
 * `deno task docs:cli`: writes docs/reference/cli.md from the command
 * definitions. A test fails when the committed page differs, so the
 * reference cannot drift from the CLI.
 *
 * @module
 */
import { COMMANDS } from "../cli/src/commands.ts";
import { renderReference } from "../cli/src/help.ts";

const target = new URL("../docs/reference/cli.md", import.meta.url);
await Deno.writeTextFile(target, renderReference(COMMANDS));
console.log(`wrote ${target.pathname}`);
