/**
 * End to end: a new Postgres workspace whose `.env` names a database that
 * does not exist yet. `netscript dev` stops with the cause and the fix
 * instead of waiting out its health timeout, `netscript doctor` reports the
 * same, and after `netscript db create` and `netscript db deploy` (reading
 * only `.env`) the workspace runs.
 */
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { join } from "node:path";
import { spawnDevJson, spawnDevRunner } from "./support/dev_slot.ts";
import { cliProcessArgs, devReady, netscriptProcess, REPO_ROOT } from "./support/cli.ts";
import { pgQuery, postgres, POSTGRES_URL } from "./support/databases.ts";
import { assertAvailable } from "./support/requirements.ts";

/** Runs `netscript doctor --json` and returns its findings by check. */
async function doctor(root: string, env: Record<string, string> = {}) {
  const out = await netscriptProcess(root, ["doctor", "--json"], env);
  const { findings } = JSON.parse(out.stdout) as {
    findings: { check: string; status: string; detail: string; fix: string }[];
  };
  return {
    code: out.code,
    finding(check: string) {
      const found = findings.find((f) => f.check === check);
      if (!found) throw new Error(`no finding for ${check}: ${out.stdout}`);
      return found;
    },
  };
}

Deno.test({
  name:
    "a Postgres workspace whose database is missing: dev stops with the cause and the fix, doctor agrees, db create and deploy through .env make it run",
  ignore: postgres.ignore,
  async fn() {
    assertAvailable(postgres, "postgres");
    const parent = await Deno.makeTempDir({ prefix: "netscript-db-setup-" });
    const name = `netscript_test_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
    const url = new URL(POSTGRES_URL);
    url.pathname = `/${name}`;
    try {
      const init = await netscriptProcess(parent, [
        "init",
        "app",
        "--db",
        "postgres",
        "--cache-backend",
        "deno-kv",
        "--no-aspire",
        "--link",
        REPO_ROOT,
      ]);
      equal(init.code, 0, init.stderr);
      const root = join(parent, "app");
      match(init.stdout, /cp \.env\.example \.env/);
      match(init.stdout, /deno task netscript db create .*\n.*deno task netscript db deploy/);
      match(await Deno.readTextFile(join(root, ".env.example")), /^DATABASE_URL=postgresql:/m);
      ok((await Deno.readTextFile(join(root, ".gitignore"))).split("\n").includes(".env"));
      await Deno.writeTextFile(
        join(root, ".env"),
        `# the test's database\nDATABASE_URL="${url}"\n`,
      );

      const failed = await (await spawnDevRunner(
        new Deno.Command(Deno.execPath(), {
          args: cliProcessArgs("dev"),
          cwd: root,
          env: { NO_COLOR: "1" },
          stdin: "null",
          stdout: "piped",
          stderr: "piped",
        }),
      )).output();
      const printed = new TextDecoder().decode(failed.stdout) +
        new TextDecoder().decode(failed.stderr);
      equal(failed.code, 1, printed);
      match(
        printed,
        new RegExp(
          `error\\[DEV_HEALTH_FAILED\\]: api answers /health on port \\d+ with 503 \\(database: Database \`${name}\` does not exist on the database server\\); create it with netscript db create, then apply the migrations with netscript db deploy`,
        ),
      );
      equal(printed.split("\n").filter((l) => l.includes("does not exist")).length, 1, printed);
      ok(!printed.includes("DEV_HEALTH_TIMEOUT"), printed);

      const missing = await doctor(root);
      equal(missing.code, 1);
      equal(missing.finding("database").status, "ok", "the server answers");
      deepEqual(missing.finding("database exists"), {
        check: "database exists",
        status: "fail",
        detail: `"${name}" does not exist`,
        fix: "netscript db create, then netscript db deploy",
      });
      equal(missing.finding("migrations").status, "fail");
      match(missing.finding("migrations").detail, /^1 pending: \d{14}_init$/);
      equal(missing.finding("tables").detail, "missing: Note");

      const elsewhere = `${name}_env`;
      const overridden = await doctor(root, {
        DATABASE_URL: POSTGRES_URL.replace(/\/[^/]*$/, `/${elsewhere}`),
      });
      equal(
        overridden.finding("database exists").detail,
        `"${elsewhere}" does not exist`,
        "a variable of the environment wins over .env",
      );

      const created = await netscriptProcess(root, ["db", "create"]);
      equal(created.code, 0, created.stderr);
      const deployed = await netscriptProcess(root, ["db", "deploy", "--json"]);
      equal(deployed.code, 0, deployed.stderr);
      equal(JSON.parse(deployed.stdout).applied.length, 1);
      const tables = await pgQuery(
        url.href,
        "select table_name from information_schema.tables where table_schema = 'public' order by 1",
      );
      deepEqual(tables.map((t) => t.table_name), ["Note", "_prisma_migrations"]);

      const healthy = await doctor(root);
      equal(healthy.code, 0);
      for (const check of ["database exists", "migrations", "tables"]) {
        equal(healthy.finding(check).status, "ok", check);
      }

      const dev = await spawnDevJson(root);
      const stderr = new Response(dev.stderr).text();
      const states = await devReady(dev, stderr);
      equal(states.find((s) => s.name === "api")?.state, "running");
      dev.kill("SIGINT");
      equal((await dev.status).code, 0, await stderr);
    } finally {
      await pgQuery(POSTGRES_URL, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await Deno.remove(parent, { recursive: true });
    }
  },
});
