import { deepEqual } from "node:assert/strict";
import { STORE_ERROR_CODES } from "@netscript/contracts/errors";
import { STORE_SELECTION_ERROR_CODES } from "./mod.ts";

Deno.test("every code @netscript/store raises is in its catalog or the shared store codes", async () => {
  const known = new Set([
    ...Object.keys(STORE_SELECTION_ERROR_CODES),
    ...Object.keys(STORE_ERROR_CODES),
  ]);
  const raised = new Set<string>();
  const walk = async (dir: URL): Promise<void> => {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isDirectory && entry.name !== "testdata") {
        await walk(new URL(`${entry.name}/`, dir));
      } else if (entry.name.endsWith(".ts") && !entry.name.endsWith("_test.ts")) {
        const source = await Deno.readTextFile(new URL(entry.name, dir));
        for (const match of source.matchAll(/NetScriptError\(\s*"([A-Z_]+)"/g)) {
          raised.add(match[1]!);
        }
      }
    }
  };
  await walk(new URL("./", import.meta.url));
  deepEqual([...raised].filter((code) => !known.has(code)), []);
  deepEqual(raised.has("STORE_INVALID"), true);
});
