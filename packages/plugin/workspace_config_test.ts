import { deepEqual, match, ok, throws } from "node:assert/strict";
import { isNetScriptError } from "@netscript/contracts";
import { defineConfig } from "./mod.ts";

Deno.test("defineConfig() returns the frozen configuration", () => {
  const config = defineConfig({
    db: { engine: "sqlite" },
    cache: { backend: "deno-kv" },
    plugins: [{ name: "workers", package: "@netscript/plugin-workers" }],
    aspire: false,
  });
  deepEqual(config.plugins, [{ name: "workers", package: "@netscript/plugin-workers" }]);
  ok(Object.isFrozen(config) && Object.isFrozen(config.db) && Object.isFrozen(config.plugins[0]));
});

Deno.test("defineConfig() names each invalid field", () => {
  throws(
    () =>
      defineConfig({
        db: { engine: "oracle" as never },
        cache: { backend: "memcached" as never },
        plugins: [],
        aspire: true,
      }),
    (error: unknown) => {
      ok(isNetScriptError(error, "CONFIG_INVALID"));
      match(error.message, /db\.engine must be one of postgres, mysql, mssql, sqlite/);
      match(error.message, /cache\.backend must be one of redis, garnet, deno-kv/);
      return true;
    },
  );
});
