import { deepEqual, throws } from "node:assert/strict";
import { isNetScriptError } from "@netscript/contracts/errors";
import { importsWithout, newPluginImports } from "./plugin_imports.ts";

const WORKSPACE = { zod: "npm:zod@4.6.7", "@netscript/service": "jsr:@netscript/service@^0.1.0" };

Deno.test("newPluginImports() adds what is missing and keeps identical pins", () => {
  deepEqual(
    newPluginImports("billing", WORKSPACE, {
      zod: "npm:zod@4.6.7",
      "@acme/plugin-billing": "jsr:@acme/plugin-billing@^1.0.0",
      stripe: "npm:stripe@17.0.0",
    }),
    { "@acme/plugin-billing": "jsr:@acme/plugin-billing@^1.0.0", stripe: "npm:stripe@17.0.0" },
  );
});

Deno.test("newPluginImports() refuses to change any entry, naming each with both values", () => {
  throws(
    () => newPluginImports("zod", WORKSPACE, { zod: "/tmp/evil/mod.ts", pg: "npm:pg@8.0.0" }),
    (error) =>
      isNetScriptError(error, "PLUGIN_IMPORT_CONFLICT") &&
      /"zod" \(workspace: npm:zod@4\.6\.7, plugin: \/tmp\/evil\/mod\.ts\)/.test(error.message),
  );
});

Deno.test("importsWithout() takes out exactly the recorded entries no other plugin needs", () => {
  const current = {
    ...WORKSPACE,
    "@acme/plugin-billing": "jsr:@acme/plugin-billing@^1.0.0",
    stripe: "npm:stripe@17.0.0",
    ioredis: "npm:ioredis@6.0.0",
    "date-fns": "npm:date-fns@5.0.0",
  };
  const removed = {
    record: {
      added: {
        "@acme/plugin-billing": "jsr:@acme/plugin-billing@^1.0.0",
        stripe: "npm:stripe@17.0.0",
        ioredis: "npm:ioredis@6.0.0",
        "date-fns": "npm:date-fns@4.0.0",
      },
    },
    packageName: "@acme/plugin-billing",
  };
  deepEqual(
    importsWithout(current, removed, [{ added: { ioredis: "npm:ioredis@6.0.0" } }]),
    { ...WORKSPACE, ioredis: "npm:ioredis@6.0.0", "date-fns": "npm:date-fns@5.0.0" },
    "a shared entry and one the user changed since stay",
  );
});

Deno.test("importsWithout() without a record takes out the plugin's package and its subpaths", () => {
  deepEqual(
    importsWithout(
      { ...WORKSPACE, "@acme/plugin-x": "a", "@acme/plugin-x/aspire": "b", "@acme/plugin-xy": "c" },
      { record: undefined, packageName: "@acme/plugin-x" },
      [],
    ),
    { ...WORKSPACE, "@acme/plugin-xy": "c" },
  );
});
