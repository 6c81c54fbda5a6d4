/**
 * docs/reference/errors.md is generated from the packages' error-code
 * catalogs (`deno task docs:errors`); these tests keep it true.
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import { CATALOGS, renderErrorReference } from "../scripts/error_reference.ts";

const ROOT = new URL("../", import.meta.url);
const MEMBERS = ["packages/", "plugins/", "cli/", "aspire/"];

/** Every catalog (`export const X_ERROR_CODES = { … }`) in the workspace's sources. */
async function exportedCatalogs(): Promise<string[]> {
  const names: string[] = [];
  const walk = async (dir: URL): Promise<void> => {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isDirectory) {
        if (!["testdata", "scaffold", "node_modules"].includes(entry.name)) {
          await walk(new URL(`${entry.name}/`, dir));
        }
      } else if (entry.name.endsWith(".ts") && !entry.name.endsWith("_test.ts")) {
        const source = await Deno.readTextFile(new URL(entry.name, dir));
        for (const match of source.matchAll(/^export const ([A-Z][A-Z_]*_ERROR_CODES) = \{/gm)) {
          names.push(match[1]!);
        }
      }
    }
  };
  for (const member of MEMBERS) await walk(new URL(member, ROOT));
  return names.sort();
}

Deno.test("docs/reference/errors.md is generated from the error-code catalogs", async () => {
  const committed = await Deno.readTextFile(new URL("docs/reference/errors.md", ROOT));
  equal(committed, renderErrorReference(), "run deno task docs:errors and commit the page");
});

Deno.test("the error reference lists every catalog a package exports", async () => {
  deepEqual(CATALOGS.map((catalog) => catalog.name).sort(), await exportedCatalogs());
});

Deno.test("the error reference lists every code of every catalog once per package", () => {
  const page = renderErrorReference();
  for (const catalog of CATALOGS) {
    const section = page.split(`## ${catalog.package}\n`)[1]!.split("\n## ")[0]!;
    for (const code of Object.keys(catalog.codes)) {
      ok(section.includes(`| \`${code}\` |`), `${catalog.package} ${code}`);
    }
  }
});
