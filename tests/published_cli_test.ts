/**
 * End to end: the CLI runs from its published package, with no checkout.
 * Every package's published files (as `deno publish --dry-run` lists them)
 * are served by a local JSR registry; `deno run jsr:@netscript/cli` then
 * creates a workspace, creates a SQLite one (migrating it with the schema
 * engine loaded from the published `@netscript/db`) and adds the workers
 * plugin, while reading the checkout is denied to it, and the workspace
 * type-checks against the published packages.
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import { join } from "node:path";
import { readFileTree } from "../cli/src/templates.ts";
import { CLI_PERMISSIONS, REPO_ROOT } from "./support/cli.ts";
import {
  copyPublishedFiles,
  publishedPackages,
  serveRegistry,
  workspaceMembers,
} from "./support/published_packages.ts";

Deno.test("the CLI installed from JSR creates a workspace and adds the workers plugin", async (t) => {
  const packages = await publishedPackages(REPO_ROOT);
  const cli = packages.find((p) => p.name === "@netscript/cli")!;

  await t.step("every package of the workspace is published", async () => {
    deepEqual(packages.map((p) => p.name), await workspaceMembers(REPO_ROOT));
  });

  const temp = await Deno.makeTempDir({ prefix: "netscript-published-" });
  let registry: { url: string; close: () => Promise<void> } | undefined;
  const env = { JSR_URL: "", NO_COLOR: "1" };
  const netscript = async (cwd: string, ...args: string[]) => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--quiet",
        "--no-lock",
        ...CLI_PERMISSIONS,
        `--deny-read=${REPO_ROOT}`,
        `jsr:@netscript/cli@^${cli.version}`,
        ...args,
      ],
      cwd,
      env,
    }).output();
    const decoder = new TextDecoder();
    return {
      code: out.code,
      stdout: decoder.decode(out.stdout),
      stderr: decoder.decode(out.stderr),
    };
  };
  const app = join(temp, "work", "app");
  try {
    await Deno.mkdir(join(temp, "registry"));
    await copyPublishedFiles(REPO_ROOT, packages, join(temp, "registry"));
    registry = await serveRegistry(join(temp, "registry"), packages);
    env.JSR_URL = registry.url;
    await Deno.mkdir(join(temp, "work"));

    await t.step("init writes a workspace that imports the framework from JSR", async () => {
      const run = await netscript(join(temp, "work"), "init", "app");
      equal(run.code, 0, run.stderr);
      const deno = JSON.parse(await Deno.readTextFile(join(app, "deno.json")));
      equal(deno.imports["@netscript/service"], `jsr:@netscript/service@^${cli.version}`);
      ok(deno.tasks.netscript.endsWith(` jsr:@netscript/cli@^${cli.version}`));
      ok(!JSON.stringify(deno).includes(REPO_ROOT), JSON.stringify(deno));
    });

    await t.step(
      "init --db sqlite migrates in-process with the published schema engine",
      async () => {
        const run = await netscript(
          join(temp, "work"),
          "init",
          "lite",
          "--db",
          "sqlite",
          "--cache-backend",
          "deno-kv",
          "--no-aspire",
        );
        equal(run.code, 0, run.stderr);
        const lite = join(temp, "work", "lite");
        ok((await Deno.stat(join(lite, ".netscript", "data", "app.db"))).isFile);
        const status = await netscript(lite, "db", "status", "--json");
        equal(status.code, 0, status.stderr);
        const result = JSON.parse(status.stdout);
        equal(result.upToDate, true, status.stdout);
        deepEqual(result.pending, []);
      },
    );

    await t.step("plugin add workers takes the plugin and its scaffold from JSR", async () => {
      const run = await netscript(app, "plugin", "add", "workers", "--json");
      equal(run.code, 0, run.stderr);
      equal(JSON.parse(run.stdout).plugin, "workers");
      const deno = JSON.parse(await Deno.readTextFile(join(app, "deno.json")));
      equal(
        deno.imports["@netscript/plugin-workers"],
        `jsr:@netscript/plugin-workers@^${cli.version}`,
      );
      deepEqual(
        await readFileTree(join(app, "plugins", "workers")),
        await readFileTree(join(REPO_ROOT, "plugins", "workers", "scaffold")),
      );
      ok((await Deno.stat(join(app, ".netscript", "definitions", "workers.ts"))).isFile);
    });

    await t.step("the workspace type-checks against the published packages", async () => {
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["check", "--quiet", "--no-lock", "."],
        cwd: app,
        env,
      }).output();
      ok(out.success, new TextDecoder().decode(out.stderr));
    });
  } finally {
    await registry?.close();
    await Deno.remove(temp, { recursive: true });
  }
});
