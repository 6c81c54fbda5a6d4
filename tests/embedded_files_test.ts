/**
 * The CLI runs from its published package, so the workspace template, the
 * first-party plugins' scaffolds and the versions a workspace pins ship as
 * generated modules (`deno task templates`); these tests keep them true to
 * `templates/`, each `plugins/<name>/scaffold/` and the root `deno.json`.
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import { isNetScriptError } from "@netscript/contracts/errors";
import type { CliErrorCode } from "@netscript/cli";
import { renderEmbeddedModules } from "../scripts/embed_files.ts";
import { firstPartyPluginNames, resolvePluginSource } from "../cli/src/plugin_source.ts";
import { readFileTree } from "../cli/src/templates.ts";
import { REPO_ROOT } from "./support/cli.ts";

Deno.test("the generated template, scaffold and release modules are up to date", async () => {
  const modules = await renderEmbeddedModules(REPO_ROOT);
  ok(modules.has("plugins/workers/src/scaffold.generated.ts"));
  for (const [path, text] of modules) {
    const committed = await Deno.readTextFile(`${REPO_ROOT}/${path}`);
    equal(committed, text, `${path} is out of date: run deno task templates`);
  }
});

Deno.test("plugin add workers without a checkout takes the scaffold from the plugin's package and pins it on JSR", async () => {
  const source = await resolvePluginSource("workers", { cwd: REPO_ROOT });
  equal(source.package.name, "@netscript/plugin-workers");
  equal(
    JSON.stringify(source.imports),
    JSON.stringify({
      "@netscript/plugin-workers": `jsr:@netscript/plugin-workers@^${source.package.version}`,
    }),
  );
  equal(
    JSON.stringify(source.scaffold),
    JSON.stringify(await readFileTree(`${REPO_ROOT}/plugins/workers/scaffold`)),
  );
});

Deno.test("plugin add streams without a checkout takes the scaffold from the plugin's package and pins it on JSR", async () => {
  const source = await resolvePluginSource("streams", { cwd: REPO_ROOT });
  equal(source.name, "streams");
  equal(source.package.name, "@netscript/plugin-streams");
  deepEqual(source.imports, {
    "@netscript/plugin-streams": `jsr:@netscript/plugin-streams@^${source.package.version}`,
  });
  deepEqual(source.scaffold, await readFileTree(`${REPO_ROOT}/plugins/streams/scaffold`));
});

Deno.test("plugin add streams with a linked checkout takes the plugin's folder", async () => {
  const source = await resolvePluginSource("streams", { cwd: REPO_ROOT, link: REPO_ROOT });
  equal(source.package.name, "@netscript/plugin-streams");
  equal(
    source.imports["@netscript/plugin-streams"],
    `${REPO_ROOT}/plugins/streams/src/public/mod.ts`,
  );
  deepEqual(source.scaffold, await readFileTree(`${REPO_ROOT}/plugins/streams/scaffold`));
  ok((await firstPartyPluginNames()).includes("streams"));
  ok((await firstPartyPluginNames(REPO_ROOT)).includes("streams"));
});

Deno.test("plugin add with a name this release does not know lists the first-party plugins it knows", async () => {
  const error = await resolvePluginSource("nope", { cwd: REPO_ROOT }).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  ok(isNetScriptError<CliErrorCode>(error, "PLUGIN_UNKNOWN"), String(error));
  deepEqual(error.details?.available, await firstPartyPluginNames());
  ok((error.details?.available as string[]).includes("workers"));
});
