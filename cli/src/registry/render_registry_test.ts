import { deepEqual, equal, throws } from "node:assert/strict";
import { dirname, join } from "node:path";
import { definePlugin } from "@netscript/plugin";
import { definitionsModulePath, renderDefinitionsModule } from "./render_registry.ts";

/** File names that break a module written by string concatenation. */
const NASTY_NAMES = [
  'a"b',
  "back\\slash",
  "tem${plate}`x",
  "new\nline",
  "ünïcödé 日本",
  "per%20cent#hash?query",
  "quote'*/close",
];

Deno.test("renderDefinitionsModule() writes a module that loads whatever the definition files are named", async () => {
  const root = await Deno.makeTempDir({ prefix: "netscript-render-registry-" });
  try {
    const files = NASTY_NAMES.map((name) => `jobs/${name}.ts`).sort();
    for (const [i, file] of files.entries()) {
      await Deno.mkdir(dirname(join(root, file)), { recursive: true });
      await Deno.writeTextFile(
        join(root, file),
        `export default { kind: "job", name: ${JSON.stringify(`job-${i}`)} };\n`,
      );
    }
    const source = renderDefinitionsModule({
      plugin: {
        name: "workers",
        version: "1.0.0",
        type: "background-processor",
        file: "plugins/workers/plugin.ts",
        directory: "plugins/workers",
        slug: "workers",
        envPrefix: "WORKERS",
      },
      folders: [{ folder: "jobs", kind: "job", builder: "defineJob", files }],
      configTopics: [],
      streamTopics: [],
      workspaceStreamTopics: [],
    });
    const path = join(root, definitionsModulePath("workers"));
    await Deno.mkdir(dirname(path), { recursive: true });
    await Deno.writeTextFile(path, source);
    const loaded = await import(`file://${path}`);
    deepEqual(
      loaded.definitions.jobs.map((entry: { file: string; definition: { name: string } }) => [
        entry.file,
        entry.definition.name,
      ]),
      files.map((file, i) => [file, `job-${i}`]),
    );
    equal(loaded.plugin.name, "workers");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("a definitions folder name that could inject code is refused by the manifest, before any rendering", () => {
  definePlugin("ok", "1.0.0").withDefinitions([{ folder: "jobs_2", kind: "job" }]).build();
  for (const folder of ['a"b', "a b", "x};alert(1)//", "a-b", "ü", "*/", "a\nb", "${x}"]) {
    throws(
      () => definePlugin("ok", "1.0.0").withDefinitions([{ folder, kind: "job" }]).build(),
      /definitions\[0\]\.folder must be a folder name/,
      JSON.stringify(folder),
    );
  }
});
