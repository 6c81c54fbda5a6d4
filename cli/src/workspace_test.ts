import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { join } from "node:path";
import { isNetScriptError } from "@netscript/contracts/errors";
import { writeFilesAtomically } from "./workspace.ts";

/** Every entry under a folder: files with their content, folders as `"<folder>"`. */
async function tree(root: string, prefix = ""): Promise<Record<string, string>> {
  const found: Record<string, string> = {};
  for await (const entry of Deno.readDir(join(root, prefix))) {
    const path = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory) {
      found[path] = "<folder>";
      Object.assign(found, await tree(root, path));
    } else {
      found[path] = await Deno.readTextFile(join(root, path));
    }
  }
  return found;
}

async function workspace(files: Record<string, string>, folders: string[] = []) {
  const root = await Deno.makeTempDir({ prefix: "netscript-write-files-" });
  for (const folder of folders) await Deno.mkdir(join(root, folder), { recursive: true });
  for (const [path, content] of Object.entries(files)) {
    await Deno.mkdir(join(root, path, ".."), { recursive: true });
    await Deno.writeTextFile(join(root, path), content);
  }
  return root;
}

Deno.test("writeFilesAtomically() writes the files that differ and says which", async () => {
  const root = await workspace({ "a.ts": "old a", "same.ts": "same" });
  try {
    const changed = await writeFilesAtomically(
      root,
      new Map([["a.ts", "new a"], ["same.ts", "same"], ["deep/b.ts", "new b"]]),
    );
    deepEqual(changed, ["a.ts", "deep/b.ts"]);
    deepEqual(await tree(root), {
      "a.ts": "new a",
      "same.ts": "same",
      deep: "<folder>",
      "deep/b.ts": "new b",
    });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("writeFilesAtomically() changes nothing when a file cannot be written part way", async (t) => {
  const cases: [string, Record<string, string>, string[], [string, string][], string][] = [
    [
      "a folder where the last file goes, after the others were renamed into place",
      { "a.ts": "old a", "gen/c.ts": "old c" },
      ["gen/z.ts"],
      [["a.ts", "new a"], ["gen/b.ts", "new b"], ["gen/c.ts", "new c"], ["gen/z.ts", "new z"]],
      "gen/z.ts",
    ],
    [
      "a file where a folder of a path must be, while staging",
      { "a.ts": "old a", "blocker": "a file" },
      [],
      [["a.ts", "new a"], ["blocker/x.ts", "new x"]],
      "blocker/x.ts",
    ],
  ];
  for (const [what, files, folders, writes, failing] of cases) {
    await t.step(what, async () => {
      const root = await workspace(files, folders);
      try {
        const before = await tree(root);
        await rejects(writeFilesAtomically(root, new Map(writes)), (error: unknown) => {
          ok(isNetScriptError(error, "WORKSPACE_WRITE_FAILED"), String(error));
          equal(error.details.file, failing);
          ok(error.message.includes("no file was changed"), error.message);
          return true;
        });
        deepEqual(await tree(root), before, "every file as it was, and no temporary file left");
      } finally {
        await Deno.remove(root, { recursive: true });
      }
    });
  }
});
