import { equal, match, ok } from "node:assert/strict";
import { createColors } from "./colors.ts";
import { COMMANDS } from "./commands.ts";
import { renderCommandHelp, renderOverview, renderReference } from "./help.ts";

Deno.test("docs/reference/cli.md is generated from the command definitions", async () => {
  const committed = await Deno.readTextFile(
    new URL("../../docs/reference/cli.md", import.meta.url),
  );
  equal(committed, renderReference(COMMANDS), "run deno task docs:cli and commit the page");
});

Deno.test("every command's help has a usage line, every flag and at least one example", () => {
  const plain = createColors(false);
  for (const command of COMMANDS) {
    const help = renderCommandHelp(command, plain);
    match(help, new RegExp(`^Usage: netscript ${command.path.join(" ")}`));
    for (const flag of Object.keys(command.flags)) ok(help.includes(`--${flag}`), flag);
    ok(help.includes("--json") && help.includes("-h, --help"));
    ok(command.examples.length > 0, `${command.path.join(" ")} has examples`);
    ok(!help.includes("\x1b["), "no colour codes when colour is off");
  }
});

Deno.test("the overview lists every command and the exit codes", () => {
  const overview = renderOverview(COMMANDS, "1.2.3", createColors(false));
  for (const command of COMMANDS) ok(overview.includes(command.path.join(" ")));
  match(overview, /0 success, 1 failure, 2 usage error/);
});
