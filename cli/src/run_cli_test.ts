import { equal, match } from "node:assert/strict";
import type { Streams } from "./output.ts";
import { EXIT, runCli } from "./run_cli.ts";

function _captured(): { streams: Streams; stdout: () => string; stderr: () => string } {
  const decoder = new TextDecoder();
  let out = "";
  let err = "";
  const stream = (append: (text: string) => void) => ({
    writeSync(data: Uint8Array) {
      append(decoder.decode(data));
      return data.length;
    },
    isTerminal: () => false,
  });
  return {
    streams: { stdout: stream((t) => out += t), stderr: stream((t) => err += t) },
    stdout: () => out,
    stderr: () => err,
  };
}

Deno.test("runCli() suggests the closest flag or command on a usage error", async (t) => {
  await t.step("a misspelt flag of netscript dev", async () => {
    const io = _captured();
    equal(await runCli(["dev", "--wach"], { streams: io.streams }), EXIT.usage);
    match(io.stderr(), /^usage error: Unknown option '--wach'; did you mean --watch\?\n/);
    match(io.stderr(), /Run netscript dev --help for its flags and examples/);
  });
  await t.step("a misspelt db command, as JSON", async () => {
    const io = _captured();
    equal(await runCli(["db", "migrat", "--json"], { streams: io.streams }), EXIT.usage);
    const result = JSON.parse(io.stdout());
    equal(result.error.code, "USAGE");
    equal(result.error.message, 'Unknown command "db migrat"; did you mean "db migrate"?');
  });
  await t.step("nothing is suggested when nothing is close", async () => {
    const io = _captured();
    equal(await runCli(["deploy"], { streams: io.streams }), EXIT.usage);
    match(io.stderr(), /Unknown command "deploy"; run netscript --help for the list\n/);
  });
});
