import { equal, match, ok, throws } from "node:assert/strict";
import { isNetScriptError } from "@netscript/contracts";
import { resolveDatabaseUrl } from "./mod.ts";

const env = (vars: Record<string, string>) => (name: string) => vars[name];

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
