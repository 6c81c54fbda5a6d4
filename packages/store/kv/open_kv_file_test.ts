import { equal, ok, rejects } from "node:assert/strict";
import { isNetScriptError } from "@netscript/contracts/errors";
import { openKvFile } from "./mod.ts";

Deno.test("openKvFile() creates the file's folder and opens it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "netscript-kv-file-" });
  try {
    const kv = await openKvFile(`${dir}/a/b/store.kv`);
    await kv.set(["x"], 1);
    kv.close();
    const again = await openKvFile(`${dir}/a/b/store.kv`);
    equal((await again.get(["x"])).value, 1);
    again.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("openKvFile() reports a path it cannot use as STORE_UNAVAILABLE naming the path", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "netscript-kv-file-" });
  try {
    const garbage = `${dir}/garbage.kv`;
    await Deno.writeTextFile(garbage, "not a database ".repeat(100));
    const cases: [string, string, boolean][] = [
      ["a file that is not a database", garbage, true],
      ["a folder", dir, true],
      ["a missing folder, not created", `${dir}/missing/store.kv`, false],
      ["a path under a file", `${garbage}/store.kv`, true],
    ];
    for (const [what, path, createFolder] of cases) {
      await t.step(what, async () => {
        await rejects(
          openKvFile(path, { createFolder, store: { dependency: "billing store" } }),
          (error) => {
            ok(isNetScriptError(error, "STORE_UNAVAILABLE"), String(error));
            equal(error.details.path, path);
            equal(error.details.dependency, "billing store");
            ok(
              error.message.startsWith(`Cannot open the billing store at "${path}": `),
              error.message,
            );
            return true;
          },
        );
      });
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
