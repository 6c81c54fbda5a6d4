/**
 * `deno task lint:openapi`: writes the OpenAPI documents of `workers-api`
 * and the sample app to a temporary folder and runs Redocly CLI's
 * recommended rules on them (Redocly CLI comes from the npm registry, so
 * this needs it reachable). Exits non-zero when Redocly reports an error.
 *
 * @module
 */
import { join } from "node:path";
import { openapiDocuments } from "./documents.ts";

/** The Redocly CLI version the documents are held to. */
const REDOCLY = "@redocly/cli@2.77.0";

const folder = await Deno.makeTempDir({ prefix: "netscript-openapi-" });
try {
  const files: string[] = [];
  for (const [name, document] of await openapiDocuments()) {
    const file = join(folder, name);
    await Deno.writeTextFile(file, JSON.stringify(document, null, 2));
    files.push(file);
  }
  const lint = await new Deno.Command("npx", {
    args: ["-y", REDOCLY, "lint", "--format=summary", ...files],
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  Deno.exitCode = lint.code;
} finally {
  await Deno.remove(folder, { recursive: true });
}
