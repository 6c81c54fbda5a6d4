import { equal, match, ok, throws } from "node:assert/strict";
import { dirname, join } from "node:path";
import { isNetScriptError } from "@netscript/contracts";
import { LOCAL_DATABASE_URLS } from "@netscript/plugin";
import { resolveDatabaseUrl } from "./mod.ts";

const env = (vars: Record<string, string>) => (name: string) => vars[name];

/** Runs `fn` with a folder holding a `.env` of `text`. */
async function withEnvFile(text: string, fn: (file: string) => Promise<void> | void) {
  const dir = await Deno.makeTempDir({ prefix: "netscript-db-url-" });
  try {
    await Deno.writeTextFile(join(dir, ".env"), text);
    await fn(join(dir, ".env"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("resolveDatabaseUrl() prefers DATABASE_URL, then Aspire's <RESOURCE>_URI", () => {
  equal(
    resolveDatabaseUrl("postgres", {
      env: env({ DATABASE_URL: "postgresql://a", DB_URI: "postgresql://b" }),
    }),
    "postgresql://a",
  );
  equal(
    resolveDatabaseUrl("postgres", { env: env({ DB_URI: "postgresql://b" }) }),
    "postgresql://b",
  );
  equal(
    resolveDatabaseUrl("mysql", { resource: "app-db", env: env({ APP_DB_URI: "mysql://c" }) }),
    "mysql://c",
  );
});

Deno.test("resolveDatabaseUrl() falls back to the SQLite file", () => {
  equal(resolveDatabaseUrl("sqlite", { sqliteFile: "/w/app.db", env: env({}) }), "file:/w/app.db");
});

Deno.test("resolveDatabaseUrl() names the variables it looked for", () => {
  throws(() => resolveDatabaseUrl("postgres", { env: env({}) }), (error: unknown) => {
    ok(isNetScriptError(error, "DB_URL_NOT_FOUND"));
    match(error.message, /set DATABASE_URL or DB_URI \(for example DATABASE_URL=postgresql:\/\//);
    return true;
  });
});

Deno.test("resolveDatabaseUrl() follows the CLI's rule with envFile and localDefault", async (t) => {
  await t.step(
    "the environment wins over .env, variable by variable",
    () =>
      withEnvFile(
        "DATABASE_URL=postgresql://from-file\nDB_URI=postgresql://uri-from-file\n",
        (file) => {
          const url = (vars: Record<string, string>) =>
            resolveDatabaseUrl("postgres", { envFile: file, env: env(vars) });
          equal(url({ DATABASE_URL: "postgresql://shell" }), "postgresql://shell");
          equal(url({}), "postgresql://from-file");
          equal(url({ DB_URI: "postgresql://shell-uri" }), "postgresql://from-file");
          // Set but empty in the shell: unset, and not filled in from the file.
          equal(url({ DATABASE_URL: "" }), "postgresql://uri-from-file");
        },
      ),
  );

  await t.step(
    "without any variable, a server engine gets its local default",
    () =>
      withEnvFile("# nothing here\n", (file) => {
        for (const engine of ["postgres", "mysql", "mssql"] as const) {
          equal(
            resolveDatabaseUrl(engine, { envFile: file, localDefault: true, env: env({}) }),
            LOCAL_DATABASE_URLS[engine],
          );
        }
        equal(
          resolveDatabaseUrl("sqlite", {
            envFile: file,
            localDefault: true,
            sqliteFile: "/w/app.db",
            env: env({}),
          }),
          "file:/w/app.db",
        );
      }),
  );

  await t.step("a missing .env counts as empty", () => {
    const file = new URL("./no-such-folder/.env", import.meta.url);
    equal(
      resolveDatabaseUrl("mysql", { envFile: file, localDefault: true, env: env({}) }),
      LOCAL_DATABASE_URLS.mysql,
    );
  });

  await t.step(
    "a malformed .env raises ENV_FILE_INVALID, naming the file and line",
    () =>
      withEnvFile("DATABASE_URL=postgresql://ok\nnot a variable\n", (file) => {
        throws(() => resolveDatabaseUrl("postgres", { envFile: file, env: env({}) }), (error) => {
          ok(isNetScriptError(error, "ENV_FILE_INVALID"), String(error));
          match(error.message, new RegExp(`^Cannot read ${file} line 2: `));
          return true;
        });
      }),
  );
});

Deno.test("resolveDatabaseUrl() reads .env only when its process may read it, never prompting", async () => {
  await withEnvFile("DATABASE_URL=postgresql://from-file\n", async (file) => {
    const script = join(dirname(file), "probe.ts");
    await Deno.writeTextFile(
      script,
      `import { resolveDatabaseUrl } from "${new URL("./mod.ts", import.meta.url).href}";
console.log(resolveDatabaseUrl("postgres", { envFile: ${
        JSON.stringify(file)
      }, localDefault: true, env: () => undefined }));
`,
    );
    const config = new URL("../../deno.json", import.meta.url).pathname;
    const run = async (...grants: string[]) => {
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["run", "--quiet", "--no-prompt", "--config", config, ...grants, script],
        env: { NO_COLOR: "1" },
      }).output();
      const decoder = new TextDecoder();
      ok(out.success, decoder.decode(out.stderr));
      return decoder.decode(out.stdout).trim();
    };
    equal(await run(), LOCAL_DATABASE_URLS.postgres);
    equal(await run(`--allow-read=${file}`), "postgresql://from-file");
  });
});
