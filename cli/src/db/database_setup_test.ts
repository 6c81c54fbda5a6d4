import { deepEqual, equal, match } from "node:assert/strict";
import { join } from "node:path";
import { loadWorkspaceEnv } from "../env/workspace_env.ts";
import { serverDatabaseUrl } from "./database_url.ts";
import { writeDatabaseSetup } from "./database_setup.ts";

async function withRoot(use: (root: string) => Promise<void>) {
  const root = await Deno.makeTempDir({ prefix: "netscript-setup-" });
  try {
    await use(root);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

Deno.test("writeDatabaseSetup() gives a Postgres workspace an .env.example and the steps to create its database", async () => {
  await withRoot(async (root) => {
    await Deno.writeTextFile(join(root, ".gitignore"), ".netscript/data/\nnode_modules/");
    const setup = await writeDatabaseSetup(root, "postgres");
    deepEqual(setup.files, [".env.example"]);
    deepEqual(setup.steps.map((s) => s.command), [
      "cp .env.example .env",
      "deno task netscript db create",
      "deno task netscript db deploy",
    ]);
    match(setup.steps[1]!.why, /"app"/);
    equal(
      await Deno.readTextFile(join(root, ".gitignore")),
      ".netscript/data/\nnode_modules/\n.env\n",
    );
    // The example, copied to .env, names the database dev and db use by default.
    await Deno.copyFile(join(root, ".env.example"), join(root, ".env"));
    const env = await loadWorkspaceEnv(root, { env: () => undefined });
    deepEqual(serverDatabaseUrl("postgres", env), {
      url: "postgresql://postgres@127.0.0.1:5432/app",
      source: ".env DATABASE_URL",
    });
  });
});

Deno.test("writeDatabaseSetup() adds .env to .gitignore once, and leaves SQLite without steps", async () => {
  await withRoot(async (root) => {
    deepEqual(await writeDatabaseSetup(root, "sqlite"), { files: [".gitignore"], steps: [] });
    await writeDatabaseSetup(root, "sqlite");
    equal(await Deno.readTextFile(join(root, ".gitignore")), ".env\n");
  });
});

Deno.test("writeDatabaseSetup() has MySQL create its first migration, and SQL Server only copy .env", async () => {
  await withRoot(async (root) => {
    deepEqual((await writeDatabaseSetup(root, "mysql")).steps.map((s) => s.command), [
      "cp .env.example .env",
      "deno task netscript db create",
      "deno task netscript db migrate --name init",
    ]);
    deepEqual((await writeDatabaseSetup(root, "mssql")).steps.map((s) => s.command), [
      "cp .env.example .env",
    ]);
  });
});
