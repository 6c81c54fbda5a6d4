import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { join } from "node:path";
import { NetScriptError } from "@netscript/contracts/errors";
import type { ProcessResource } from "@netscript/plugin";
import { forbiddenModules } from "./check_module_graph.ts";

/** The npm package the workspace imports, so that its lockfile has something to lock. */
const ZOD = "npm:zod@4.6.7";

function resource(name: string, entrypoint: string): ProcessResource {
  return {
    name,
    kind: "processor",
    entrypoint,
    env: {},
    permissions: {},
    flags: [],
    waitFor: [],
    passEnv: [],
  };
}

/**
 * A workspace whose `api.ts` imports zod and a local helper, and whose
 * `leak.ts` also imports a file outside it; and that outside file.
 * Disposing removes both folders.
 */
async function workspace() {
  const root = await Deno.makeTempDir({ prefix: "netscript-graph-root-" });
  const outside = await Deno.makeTempDir({ prefix: "netscript-graph-outside-" });
  const secret = join(outside, "secret.ts");
  await Deno.writeTextFile(secret, "export const secret = 1;\n");
  await Deno.writeTextFile(
    join(root, "deno.json"),
    JSON.stringify({ imports: { zod: ZOD } }),
  );
  await Deno.writeTextFile(join(root, "helper.ts"), 'import { z } from "zod";\nexport { z };\n');
  await Deno.writeTextFile(join(root, "api.ts"), 'import "./helper.ts";\n');
  await Deno.writeTextFile(
    join(root, "leak.ts"),
    `import "./helper.ts";\nimport ${JSON.stringify(`file://${secret}`)};\n`,
  );
  return {
    root,
    secret,
    resources: [resource("api", "api.ts"), resource("leak", "leak.ts")],
    async [Symbol.asyncDispose]() {
      await Deno.remove(root, { recursive: true });
      await Deno.remove(outside, { recursive: true });
    },
  };
}

Deno.test("forbiddenModules() finds a file outside the workspace, whatever state its lockfile is in", async (t) => {
  await using ws = await workspace();
  const lock = join(ws.root, "deno.lock");
  const check = () => forbiddenModules(ws.root, ws.resources, [ws.root]);
  const expected = [{ resource: "leak", file: ws.secret, importer: `file://${ws.root}/leak.ts` }];

  await t.step("without a lockfile, and it writes none", async () => {
    deepEqual(await check(), expected);
    await rejects(Deno.stat(lock), Deno.errors.NotFound);
  });
  await t.step(
    "with a lockfile that does not hold the workspace's packages, left as it is",
    async () => {
      await Deno.writeTextFile(lock, '{\n  "version": "5"\n}\n');
      deepEqual(await check(), expected);
      equal(await Deno.readTextFile(lock), '{\n  "version": "5"\n}\n');
    },
  );
  await t.step("with a current lockfile", async () => {
    await Deno.remove(lock);
    const cache = await new Deno.Command(Deno.execPath(), {
      args: ["cache", "--config", join(ws.root, "deno.json"), join(ws.root, "api.ts")],
      cwd: ws.root,
      stdout: "null",
      stderr: "piped",
    }).output();
    ok(cache.success, new TextDecoder().decode(cache.stderr));
    ok((await Deno.readTextFile(lock)).includes(ZOD.slice("npm:".length)));
    deepEqual(await check(), expected);
  });
});

Deno.test("forbiddenModules() fails with DEV_MODULE_GRAPH_FAILED when deno info cannot read the graph", async () => {
  await using ws = await workspace();
  await Deno.writeTextFile(join(ws.root, "deno.json"), "{ not json");
  await rejects(
    forbiddenModules(ws.root, ws.resources, [ws.root]),
    (error: unknown) => {
      ok(error instanceof NetScriptError);
      equal(error.code, "DEV_MODULE_GRAPH_FAILED");
      ok(error.message.includes("deno info exited with code 1"), error.message);
      return true;
    },
  );
});
