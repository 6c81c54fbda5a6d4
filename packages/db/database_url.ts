import { NetScriptError } from "@netscript/contracts/errors";
import type { DbEngine } from "@netscript/plugin";
import type { DbErrorCode } from "./db_error_codes.ts";

/** Options of {@linkcode resolveDatabaseUrl}. */
export interface ResolveDatabaseUrlOptions {
  /**
   * The database resource's name under Aspire; its `<NAME>_URI` variable is
   * read when `DATABASE_URL` is unset.
   * @default {"db"}
   */
  resource?: string;
  /**
   * The SQLite file used when no variable is set.
   * @default {undefined: no default, a variable is required}
   */
  sqliteFile?: string | URL;
  /**
   * Reads one environment variable.
   * @default {the process environment, unreadable variables counting as unset}
   */
  env?: (name: string) => string | undefined;
}

/**
 * Finds the connection URL of the workspace's database: `DATABASE_URL`,
 * else Aspire's `<RESOURCE>_URI` for the database resource, else (SQLite
 * only) the default file.
 *
 * @param engine The configured engine.
 * @param options Resource name, SQLite default and environment reader.
 * @returns The URL (`file:` for SQLite).
 * @throws {NetScriptError} `DB_URL_NOT_FOUND` naming every variable tried.
 *
 * @example
 * ```ts
 * import { resolveDatabaseUrl } from "@netscript/db";
 *
 * const url = resolveDatabaseUrl("sqlite", { sqliteFile: "./app.db", env: () => undefined });
 * console.log(url); // "file:./app.db"
 * ```
 */
export function resolveDatabaseUrl(
  engine: DbEngine,
  options: ResolveDatabaseUrlOptions = {},
): string {
  const env = options.env ?? _processEnv;
  const aspire = `${(options.resource ?? "db").replace(/[^A-Za-z0-9_]/g, "_").toUpperCase()}_URI`;
  const variables = ["DATABASE_URL", aspire];
  for (const name of variables) {
    const value = env(name);
    if (value !== undefined && value !== "") return value;
  }
  if (engine === "sqlite" && options.sqliteFile !== undefined) {
    const file = options.sqliteFile;
    return file instanceof URL ? `file:${file.pathname}` : `file:${file}`;
  }
  throw new NetScriptError<DbErrorCode>(
    "DB_URL_NOT_FOUND",
    `Cannot find the ${engine} database URL: set ${
      variables.join(" or ")
    } (for example DATABASE_URL=${_example(engine)})`,
    { details: { engine, variables } },
  );
}

function _example(engine: DbEngine): string {
  switch (engine) {
    case "postgres":
      return "postgresql://postgres@127.0.0.1:5432/app";
    case "mysql":
      return "mysql://root@127.0.0.1:3306/app";
    case "mssql":
      return "sqlserver://localhost:1433;database=app;user=sa;password=…";
    case "sqlite":
      return "file:./app.db";
  }
}

function _processEnv(name: string): string | undefined {
  return Deno.permissions.querySync({ name: "env", variable: name }).state === "granted"
    ? Deno.env.get(name)
    : undefined;
}
