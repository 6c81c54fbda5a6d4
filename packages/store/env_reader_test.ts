import { equal } from "node:assert/strict";
import { envFrom, processEnv } from "./mod.ts";

Deno.test("envFrom() sees exactly the given variables", () => {
  const env = envFrom({ A: "1", B: undefined });
  equal(env.get("A"), "1");
  equal(env.get("B"), undefined);
  equal(env.get("toString"), undefined);
});

Deno.test("processEnv reads the process's variables", () => {
  Deno.env.set("NETSCRIPT_RUNTIME_TEST", "yes");
  try {
    equal(processEnv.get("NETSCRIPT_RUNTIME_TEST"), "yes");
  } finally {
    Deno.env.delete("NETSCRIPT_RUNTIME_TEST");
  }
});

Deno.test({
  name: "processEnv counts a variable it may not read as unset",
  permissions: { env: ["ONLY_THIS"] },
  fn() {
    equal(processEnv.get("HOME"), undefined);
  },
});
