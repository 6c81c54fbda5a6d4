import { deepEqual, equal } from "node:assert/strict";
import { join } from "node:path";
import { removeStaleScriptDirs, runWorkspaceScript } from "./workspace_script.ts";

Deno.test("runWorkspaceScript() returns what the program wrote, leaves no folder behind and removes those killed runs left", async () => {
  const root = await Deno.makeTempDir({ prefix: "netscript-script-test-root-" });
  const temporary = await Deno.makeTempDir({ prefix: "netscript-script-test-tmp-" });
  const previous = Deno.env.get("TMPDIR");
  try {
    await Deno.writeTextFile(join(root, "deno.json"), "{}\n");
    const killed = join(temporary, "netscript-script-killed");
    await Deno.mkdir(killed);
    await Deno.utime(killed, new Date(0), new Date(0));
    Deno.env.set("TMPDIR", temporary);
    const result = await runWorkspaceScript(
      root,
      "Deno.writeTextFileSync(Deno.args[0]!, JSON.stringify({ root: Deno.args[1], extra: Deno.args[2] }));",
      ["x"],
      { code: "INTERNAL", doing: "run the test program" },
    );
    deepEqual(result, { root, extra: "x" });
    deepEqual(
      await Array.fromAsync(Deno.readDir(temporary)),
      [],
      "its folder and the killed run's are removed",
    );
  } finally {
    if (previous === undefined) Deno.env.delete("TMPDIR");
    else Deno.env.set("TMPDIR", previous);
    await Deno.remove(root, { recursive: true });
    await Deno.remove(temporary, { recursive: true });
  }
});

Deno.test("removeStaleScriptDirs() removes the script folders a killed run left, and keeps recent ones", async () => {
  const parent = await Deno.makeTempDir({ prefix: "netscript-stale-scripts-" });
  try {
    const now = Date.now();
    const stale = join(parent, "netscript-script-killed");
    const recent = join(parent, "netscript-script-running");
    const other = join(parent, "something-else");
    for (const dir of [stale, recent, other]) {
      await Deno.mkdir(dir);
      await Deno.writeTextFile(join(dir, "script.ts"), "");
    }
    const hourAgo = new Date(now - 3_600_000);
    for (const dir of [stale, other]) await Deno.utime(dir, hourAgo, hourAgo);
    await Deno.utime(recent, new Date(now), new Date(now));
    deepEqual(await removeStaleScriptDirs(parent, now), [stale]);
    const left = [];
    for await (const entry of Deno.readDir(parent)) left.push(entry.name);
    deepEqual(left.sort(), ["netscript-script-running", "something-else"]);
    equal(await removeStaleScriptDirs(parent, now).then((removed) => removed.length), 0);
  } finally {
    await Deno.remove(parent, { recursive: true });
  }
});
