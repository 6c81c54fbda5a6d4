import { equal, ok } from "node:assert/strict";
import { runCli } from "../run_cli.ts";

async function run(
  args: string[],
  cwd: string,
): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const stream = (append: (text: string) => void) => ({
    writeSync: (data: Uint8Array) => (append(new TextDecoder().decode(data)), data.length),
    isTerminal: () => false,
  });
  const code = await runCli(args, {
    cwd,
    streams: { stdout: stream((t) => out += t), stderr: stream((t) => err += t) },
  });
  return { code, out, err };
}

Deno.test("contract check needs either --base or all of --plugin, --from and --to", async () => {
  const root = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${root}/netscript.config.ts`, "export default {};\n");
    await Deno.writeTextFile(`${root}/deno.json`, "{}\n");
    const none = await run(["contract", "check"], root);
    equal(none.code, 2);
    ok(
      none.err.includes("Give --base <ref>, or --plugin <name> --from <version> --to <version>"),
      none.err,
    );
    equal((await run(["contract", "check", "--plugin", "demo", "--from", "v1"], root)).code, 2);
    equal((await run(["contract", "check", "--base", "main", "--to", "v2"], root)).code, 2);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("contract check refuses a missing --ignore-file and an invalid one, with CONTRACT_IGNORE_INVALID", async () => {
  const root = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${root}/netscript.config.ts`, "export default {};\n");
    await Deno.writeTextFile(`${root}/deno.json`, "{}\n");
    const missing = await run([
      "contract",
      "check",
      "--base",
      "HEAD",
      "--ignore-file",
      "nope.json",
      "--json",
    ], root);
    equal(missing.code, 1);
    equal(JSON.parse(missing.out).error.code, "CONTRACT_IGNORE_INVALID");
    await Deno.writeTextFile(
      `${root}/contract-check-ignore.json`,
      '{"ignore":[{"rule":"x","procedure":"p","reason":"r"}]}',
    );
    const invalid = await run(["contract", "check", "--base", "HEAD", "--json"], root);
    equal(invalid.code, 1);
    const error = JSON.parse(invalid.out).error;
    equal(error.code, "CONTRACT_IGNORE_INVALID");
    ok(error.message.includes('ignore[0].rule "x" is not a rule id'), error.message);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
