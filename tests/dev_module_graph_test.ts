/**
 * A literal import of a file outside the workspace (which Deno loads
 * before any permission check) stops `netscript dev` before any resource
 * starts, naming the file, its importer and the resource.
 *
 * @module
 */
import { equal, match } from "node:assert/strict";
import { join } from "node:path";
import { cliProcessArgs, initLinkedWorkspace } from "./support/cli.ts";

Deno.test("dev refuses to start a resource whose code imports a file outside the workspace", async () => {
  const parent = await Deno.makeTempDir({ prefix: "netscript-graph-" });
  const outside = await Deno.makeTempDir({ prefix: "netscript-secret-" });
  try {
    const root = await initLinkedWorkspace(parent);
    const secret = join(outside, "secret.txt");
    await Deno.writeTextFile(secret, "hunter2");
    const main = join(root, "services", "api", "main.ts");
    await Deno.writeTextFile(
      main,
      `const leaked = await import(${
        JSON.stringify(`file://${secret}`)
      }, { with: { type: "text" } });\nconsole.log(leaked.default);\n${await Deno.readTextFile(
        main,
      )}`,
    );
    const run = await new Deno.Command(Deno.execPath(), {
      args: cliProcessArgs("dev"),
      cwd: root,
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(120_000),
    }).output();
    const stderr = new TextDecoder().decode(run.stderr);
    equal(run.code, 1, stderr);
    match(
      stderr,
      /error\[DEV_MODULE_OUTSIDE_WORKSPACE\]: Cannot start api: .*services\/api\/main\.ts imports .*secret\.txt/,
    );
    equal(new TextDecoder().decode(run.stdout).includes("hunter2"), false);
  } finally {
    await Deno.remove(parent, { recursive: true });
    await Deno.remove(outside, { recursive: true });
  }
});
