import { equal } from "node:assert/strict";
import { fileURLToPath as fromFileUrl } from "node:url";
import {
  buildResourceGraph,
  type CacheBackend,
  composeRegistry,
  type DbEngine,
  defineConfig,
  definePlugin,
} from "@netscript/plugin";
import { appHostFiles, buildAppHostModel } from "./mod.ts";

/**
 * Snapshot tests: the files `netscript aspire generate` writes, compared
 * byte for byte with `testdata/<db>-<cache>/`. After an intended change,
 * run with `NETSCRIPT_UPDATE_SNAPSHOTS=1` and review the diff.
 */
const hello = definePlugin("hello", "1.0.0")
  .withType("background-processor")
  .withService({
    name: "hello-api",
    entrypoint: "./services/main.ts",
    port: 8190,
    permissions: { read: ["plugins/hello/assets"], env: ["HELLO_GREETING"] },
  })
  .withBackgroundProcessor({
    name: "hello-ticker",
    entrypoint: "./bin/ticker.ts",
    concurrency: 3,
  })
  .build();

const CASES: readonly [DbEngine, CacheBackend][] = [
  ["postgres", "redis"],
  ["mysql", "garnet"],
  ["mssql", "redis"],
  ["sqlite", "deno-kv"],
];

const update = Deno.env.get("NETSCRIPT_UPDATE_SNAPSHOTS") === "1";

for (const [engine, backend] of CASES) {
  Deno.test(`appHostFiles() for ${engine} and ${backend} matches its snapshot`, async () => {
    const config = defineConfig({
      db: { engine },
      cache: { backend },
      plugins: [{ name: "hello", package: "@acme/hello" }],
      aspire: true,
    });
    const graph = buildResourceGraph(
      config,
      composeRegistry([{ file: "plugins/hello/plugin.ts", manifest: hello }]),
    );
    const files = appHostFiles(buildAppHostModel(graph, {}));
    const folder = new URL(`./testdata/${engine}-${backend}/`, import.meta.url);
    for (const [path, content] of Object.entries(files)) {
      const file = fromFileUrl(new URL(path === ".gitignore" ? "gitignore" : path, folder));
      if (update) {
        await Deno.mkdir(fromFileUrl(folder), { recursive: true });
        await Deno.writeTextFile(file, content);
      }
      equal(content, await Deno.readTextFile(file), `${path} differs from its snapshot`);
    }
  });
}
