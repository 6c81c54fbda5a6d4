/**
 * End to end: `netscript init` scaffolds workspaces that pass their own
 * `deno task check` and `deno task test`, whose service keeps its notes in
 * the database through `@db`, and refuses bad input without leaving anything
 * behind.
 */
import { deepEqual, doesNotMatch, equal, match, ok } from "node:assert/strict";
import { join } from "node:path";
import {
  APP_SERVICE,
  buildResourceGraph,
  composeRegistry,
  type ProcessResource,
} from "@netscript/plugin";
import { readWorkspaceConfig } from "../cli/src/dev/workspace_config.ts";
import { netscript, netscriptProcess, REPO_ROOT, snapshotTree } from "./support/cli.ts";
import { freshPostgresDatabase, pgQuery, postgres } from "./support/databases.ts";
import { assertAvailable } from "./support/requirements.ts";

/** Runs `deno <args>` in a workspace, as a user would, and collects its output. */
async function deno(
  workspace: string,
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<{ success: boolean; output: string; stdout: string }> {
  const result = await new Deno.Command(Deno.execPath(), {
    args: [...args],
    cwd: workspace,
    env: { NO_COLOR: "1", ...env },
  }).output();
  const decoder = new TextDecoder();
  return {
    success: result.success,
    output: decoder.decode(result.stdout) + decoder.decode(result.stderr),
    stdout: decoder.decode(result.stdout),
  };
}

Deno.test("init scaffolds every engine, cache and Aspire choice into a workspace that passes its own check and test tasks", async () => {
  const parent = await Deno.makeTempDir({ prefix: "netscript-init-" });
  try {
    const variants = [
      ["postgres", "redis", true],
      ["mysql", "garnet", false],
      ["mssql", "deno-kv", true],
      ["sqlite", "deno-kv", false],
    ] as const;
    const created = await Promise.all(variants.map(async ([db, cache, aspire]) => {
      const dir = `${db}-${cache}`;
      const run = await netscript(
        [
          "init",
          dir,
          "--db",
          db,
          "--cache-backend",
          cache,
          ...(aspire ? [] : ["--no-aspire"]),
          "--link",
          REPO_ROOT,
          "--json",
        ],
        parent,
      );
      equal(run.code, 0, run.stderr);
      return { dir: join(parent, dir), result: JSON.parse(run.stdout), db, cache, aspire };
    }));
    for (const { dir, result, db, cache, aspire } of created) {
      deepEqual(
        { db: result.db, cache: result.cacheBackend, aspire: result.aspire },
        { db, cache, aspire },
      );
      for (
        const file of [
          "deno.json",
          "netscript.config.ts",
          "contracts/mod.ts",
          "services/api/main.ts",
          "services/api/service.ts",
          "services/api/service_test.ts",
          "database/schema.prisma",
          "plugins/README.md",
          "README.md",
          ".gitignore",
          ".netscript/registry.json",
        ]
      ) {
        ok(result.files.includes(file), `${file} is listed`);
        ok((await Deno.stat(join(dir, file))).isFile, `${file} exists`);
      }
      const config = await Deno.readTextFile(join(dir, "netscript.config.ts"));
      match(config, new RegExp(`engine: "${db}"`));
      match(config, new RegExp(`backend: "${cache}"`));
      match(config, new RegExp(`aspire: ${aspire}`));
      const deno = JSON.parse(await Deno.readTextFile(join(dir, "deno.json")));
      equal(deno.imports["@netscript/service"], join(REPO_ROOT, "packages/service/mod.ts"));
      match(deno.imports.zod, /^npm:zod@/);
      ok(!JSON.stringify(deno).includes("jsr:"), "a linked workspace imports nothing from JSR");
      if (db === "sqlite") {
        ok(result.files.includes("database/migrations/migration_lock.toml"), "a migration ships");
      }
    }
    // The tasks exactly as the workspace defines them, none of which needs a
    // database server: `check` regenerates `@db` first, `test` runs the sample test.
    const runs = await Promise.all(created.map(async ({ dir }) => ({
      dir,
      check: await deno(dir, ["task", "check"]),
      test: await deno(dir, ["task", "test"]),
    })));
    for (const { dir, check, test } of runs) {
      ok(check.success, `deno task check passes in ${dir}:\n${check.output}`);
      ok(test.success, `deno task test passes in ${dir}:\n${test.output}`);
      match(test.output, /ok \| 1 passed/);
      doesNotMatch(test.output, /"msg":"request"/, "the sample test keeps its request lines");
      doesNotMatch(check.output, /Ignored build scripts/, "allowScripts says which are not run");
    }
  } finally {
    await Deno.remove(parent, { recursive: true });
  }
});

/** A script that creates a note through the service in-process, then lists every note's text. */
const NOTES_SCRIPT = `import { db } from "@db";
import { service } from "./services/api/main.ts";

const created = await service.fetch(new Request("http://localhost/api/notes", {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ text: Deno.args[0] }),
}));
const listed = await (await service.fetch(new Request("http://localhost/api/notes"))).json();
console.log(JSON.stringify({ status: created.status, texts: listed.items.map((n) => n.text) }));
await db.$disconnect();
`;

/**
 * Runs `notes.ts` with exactly the permissions `netscript dev` gives the
 * app's service in this workspace.
 */
async function addNote(dir: string, text: string, env: Record<string, string> = {}) {
  const graph = buildResourceGraph(await readWorkspaceConfig(dir), composeRegistry([]), {
    ...(env.DATABASE_URL === undefined ? {} : { databaseUrl: env.DATABASE_URL }),
  });
  const api = graph.resources.find((r): r is ProcessResource => r.name === APP_SERVICE.name)!;
  const run = await deno(dir, ["run", ...api.flags, "notes.ts", text], env);
  ok(run.success, run.output);
  // Its stdout also has the service's request log lines, written together at the end.
  const lines = run.stdout.trim().split("\n").map((line) => JSON.parse(line));
  return lines.find((line) => "texts" in line);
}

Deno.test("the scaffolded service keeps its notes in the database through @db", async (t) => {
  const parent = await Deno.makeTempDir({ prefix: "netscript-init-" });
  try {
    await t.step(
      "sqlite: init applies the template's migration to .netscript/data/app.db",
      async () => {
        const run = await netscript(
          [
            "init",
            "lite",
            "--db",
            "sqlite",
            "--cache-backend",
            "deno-kv",
            "--no-aspire",
            "--link",
            REPO_ROOT,
          ],
          parent,
        );
        equal(run.code, 0, run.stderr);
        const dir = join(parent, "lite");
        ok((await Deno.stat(join(dir, ".netscript/data/app.db"))).isFile);
        await Deno.writeTextFile(join(dir, "notes.ts"), NOTES_SCRIPT);
        deepEqual(await addNote(dir, "first"), { status: 201, texts: ["first"] });
        deepEqual(await addNote(dir, "second"), { status: 201, texts: ["first", "second"] });
      },
    );
    await t.step({
      name: "postgres: db deploy applies the shipped migration, and the notes land in it",
      ignore: postgres.ignore,
      fn: async () => {
        assertAvailable(postgres, "postgres");
        const run = await netscript(
          [
            "init",
            "pg",
            "--db",
            "postgres",
            "--cache-backend",
            "deno-kv",
            "--no-aspire",
            "--link",
            REPO_ROOT,
          ],
          parent,
        );
        equal(run.code, 0, run.stderr);
        const dir = join(parent, "pg");
        const database = await freshPostgresDatabase();
        try {
          const env = { DATABASE_URL: database.url };
          const deploy = await deno(dir, ["task", "netscript", "db", "deploy"], env);
          ok(deploy.success, deploy.output);
          match(deploy.output, /20261206000000_init/);
          await Deno.writeTextFile(join(dir, "notes.ts"), NOTES_SCRIPT);
          deepEqual(await addNote(dir, "in postgres", env), {
            status: 201,
            texts: ["in postgres"],
          });
          deepEqual(await pgQuery(database.url, `select text from "Note"`), [{
            text: "in postgres",
          }]);
        } finally {
          await database.drop();
        }
      },
    });
  } finally {
    await Deno.remove(parent, { recursive: true });
  }
});

Deno.test("init without --link imports @netscript/* from JSR at this version", async () => {
  const parent = await Deno.makeTempDir({ prefix: "netscript-init-" });
  try {
    const run = await netscript(["init", "app"], parent);
    equal(run.code, 0, run.stderr);
    const deno = JSON.parse(await Deno.readTextFile(join(parent, "app", "deno.json")));
    const version =
      JSON.parse(await Deno.readTextFile(join(REPO_ROOT, "cli", "deno.json"))).version;
    equal(deno.imports["@netscript/service"], `jsr:@netscript/service@^${version}`);
    match(deno.tasks.netscript, /jsr:@netscript\/cli@/);
  } finally {
    await Deno.remove(parent, { recursive: true });
  }
});

Deno.test("init refuses bad input and leaves nothing behind", async (t) => {
  const parent = await Deno.makeTempDir({ prefix: "netscript-init-" });
  try {
    await t.step("an unknown --db value is a usage error listing the allowed values", async () => {
      const run = await netscript(["init", "a", "--db", "oracle", "--link", REPO_ROOT], parent);
      equal(run.code, 2);
      match(run.stderr, /allowed values: postgres, mysql, mssql, sqlite/);
    });
    await t.step("an unknown --cache-backend value too", async () => {
      const run = await netscript(["init", "a", "--cache-backend", "memcached"], parent);
      equal(run.code, 2);
      match(run.stderr, /allowed values: redis, garnet, deno-kv/);
    });
    await t.step("a --link that is not a checkout", async () => {
      const run = await netscript(["init", "a", "--link", parent], parent);
      equal(run.code, 1);
      match(run.stderr, /error\[LINK_INVALID\]/);
    });
    await t.step("an unknown plugin name", async () => {
      const run = await netscript(["init", "a", "--plugins", "nope", "--link", REPO_ROOT], parent);
      equal(run.code, 1);
      match(run.stderr, /error\[PLUGIN_UNKNOWN\]: Unknown plugin "nope"/);
    });
    await t.step("a plugin whose registry fails to compose", async () => {
      const broken = join(parent, "broken-plugin");
      await Deno.mkdir(join(broken, "scaffold"), { recursive: true });
      await Deno.writeTextFile(
        join(broken, "deno.json"),
        JSON.stringify({ name: "@x/plugin-broken", version: "1.0.0", exports: "./mod.ts" }),
      );
      await Deno.writeTextFile(join(broken, "mod.ts"), "export {};\n");
      await Deno.writeTextFile(join(broken, "scaffold", "plugin.ts"), "export default 42;\n");
      const run = await netscript(["init", "a", "--plugins", broken, "--link", REPO_ROOT], parent);
      equal(run.code, 1);
      match(run.stderr, /error\[PLUGIN_NOT_A_MANIFEST\]/);
      await Deno.remove(broken, { recursive: true });
    });
    deepEqual(await snapshotTree(parent), {}, "no workspace and no staging folder remain");

    await t.step("a non-empty folder without --force", async () => {
      await Deno.mkdir(join(parent, "taken"));
      await Deno.writeTextFile(join(parent, "taken", "notes.txt"), "mine");
      const run = await netscript(["init", "taken", "--link", REPO_ROOT], parent);
      equal(run.code, 1);
      match(run.stderr, /error\[WORKSPACE_NOT_EMPTY\].*pass --force/);
      deepEqual(await snapshotTree(join(parent, "taken")), { "notes.txt": "mine" });
    });
    await t.step("--force writes into it and keeps unrelated files", async () => {
      const run = await netscript(["init", "taken", "--force", "--link", REPO_ROOT], parent);
      equal(run.code, 0, run.stderr);
      const tree = await snapshotTree(join(parent, "taken"));
      equal(tree["notes.txt"], "mine");
      ok("netscript.config.ts" in tree);
    });
  } finally {
    await Deno.remove(parent, { recursive: true });
  }
});

Deno.test("the CLI answers --help with examples and exits 2 on a usage error, as a real process", async () => {
  const run = (...args: string[]) => netscriptProcess(REPO_ROOT, args);
  const help = await run("init", "--help");
  equal(help.code, 0);
  match(help.stdout, /Usage: netscript init <dir> \[flags\]/);
  match(help.stdout, /Examples:/);
  const overview = await run("--help");
  equal(overview.code, 0);
  match(overview.stdout, /registry generate/);
  const wrong = await run("plugin", "frobnicate");
  equal(wrong.code, 2);
  match(wrong.stderr, /usage error/);
  ok(!wrong.stderr.includes("\x1b["), "no colour when the output is not a terminal");
});
