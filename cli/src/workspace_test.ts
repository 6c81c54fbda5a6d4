import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { join } from "node:path";
import { isNetScriptError } from "@netscript/contracts/errors";
import { removeLeftoverWrites, writeFilesAtomically } from "./workspace.ts";

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

Deno.test("writeFilesAtomically() removes what a killed write left beside the files, not a write in progress", async () => {
  const root = await Deno.makeTempDir({ prefix: "netscript-write-" });
  try {
    await Deno.mkdir(join(root, ".netscript"));
    const killed = [
      ".netscript/registry.ts.tmp-netscript-4242-0a1b2c3d",
      ".netscript/registry.ts.old-netscript-4242-0a1b2c3d",
    ];
    const running = ".netscript/registry.ts.tmp-netscript-4343-deadbeef";
    const unrelated = ".netscript/registry.ts.tmp-mine";
    for (const path of [...killed, running, unrelated]) {
      await Deno.writeTextFile(join(root, path), "half");
    }
    const minuteAgo = new Date(Date.now() - 61_000);
    for (const path of [...killed, unrelated]) {
      await Deno.utime(join(root, path), minuteAgo, minuteAgo);
    }

    await writeFilesAtomically(root, new Map([[".netscript/registry.ts", "export {};\n"]]));

    const left = (await Array.fromAsync(Deno.readDir(join(root, ".netscript")))).map((e) => e.name);
    deepEqual(left.sort(), [
      "registry.ts",
      "registry.ts.tmp-mine",
      "registry.ts.tmp-netscript-4343-deadbeef",
    ]);
    deepEqual(await removeLeftoverWrites([join(root, "missing")]), []);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
