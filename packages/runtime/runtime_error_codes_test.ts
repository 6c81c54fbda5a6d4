import { deepEqual, ok } from "node:assert/strict";
import { STORE_ERROR_CODES } from "@netscript/contracts/errors";
import { RUNTIME_ERROR_CODES } from "./mod.ts";

/** Every code a source file of the package raises, from `new NetScriptError("CODE", …)`. */
async function raisedCodes(): Promise<Set<string>> {
  const codes = new Set<string>();
  const root = new URL("./", import.meta.url);
  const walk = async (dir: URL): Promise<void> => {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isDirectory && entry.name !== "testdata") {
        await walk(new URL(`${entry.name}/`, dir));
      } else if (entry.name.endsWith(".ts") && !entry.name.endsWith("_test.ts")) {
        const source = await Deno.readTextFile(new URL(entry.name, dir));
        for (const match of source.matchAll(/new NetScriptError\(\s*"([A-Z_]+)"/g)) {
          codes.add(match[1]!);
        }
      }
    }
  };
  await walk(root);
  return codes;
}

Deno.test("every code @netscript/runtime raises is in its catalog or the shared store codes", async () => {
  const known = new Set([...Object.keys(RUNTIME_ERROR_CODES), ...Object.keys(STORE_ERROR_CODES)]);
  const raised = await raisedCodes();
  deepEqual([...raised].filter((code) => !known.has(code)), []);
  for (const code of Object.keys(RUNTIME_ERROR_CODES)) ok(raised.has(code), `${code} is raised`);
});

Deno.test("each catalog entry says what the code means and what to do", () => {
  for (const [code, meaning] of Object.entries(RUNTIME_ERROR_CODES)) {
    ok(code.startsWith("RUNTIME_"), code);
    ok(meaning.includes(";") && meaning.length > 60, meaning);
  }
});
