import { deepEqual, equal, throws } from "node:assert/strict";
import { isNetScriptError } from "@netscript/contracts";
import { readInstalledPlugins, writeInstalledPlugins } from "./workspace_files.ts";

const CONFIG = `import { defineConfig } from "@netscript/plugin";

export default defineConfig({
  db: { engine: "sqlite" },
  cache: { backend: "deno-kv" },
  plugins: [],
  aspire: false,
});
`;

Deno.test("the plugins list of netscript.config.ts round-trips", () => {
  deepEqual(readInstalledPlugins(CONFIG), []);
  const two = writeInstalledPlugins(CONFIG, [
    { name: "zeta", package: "@acme/plugin-zeta" },
    { name: "alpha", package: "@acme/plugin-alpha" },
  ]);
  deepEqual(readInstalledPlugins(two), [
    { name: "alpha", package: "@acme/plugin-alpha" },
    { name: "zeta", package: "@acme/plugin-zeta" },
  ]);
  equal(writeInstalledPlugins(two, []), CONFIG);
  equal(two.replace(/plugins: \[[^\]]*\]/, "plugins: []"), CONFIG);
});

Deno.test("a config without a plugins list is reported, not guessed", () => {
  throws(
    () => readInstalledPlugins("export default {};"),
    (error: unknown) => isNetScriptError(error, "CONFIG_UNEDITABLE"),
  );
});
