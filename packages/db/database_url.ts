import { fileURLToPath } from "node:url";
import { NetScriptError } from "@netscript/contracts/errors";
import { type DbEngine, LOCAL_DATABASE_URLS, parseDotenv } from "@netscript/plugin";
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
   * A `.env` file (the workspace's) that fills in each variable the
   * environment does not set, as `netscript` reads it. It is read only when
   * the process may already read it (this never prompts); a missing file,
   * or one outside the process's read permission, counts as empty.
   * @default {undefined: no file}
   */
  envFile?: string | URL;
  /**
   * For a server engine when no variable is set: use the engine's entry in
   * `LOCAL_DATABASE_URLS` of `@netscript/plugin` (the database `netscript
   * dev` and `netscript db` fall back to) instead of failing.
   * @default {false}
   */
  localDefault?: boolean;
  /**
   * Reads one environment variable.
   * @default {the process environment, unreadable variables counting as unset}
   */
  env?: (name: string) => string | undefined;
}

/**
 * Finds the connection URL of the workspace's database: `DATABASE_URL`,
 * else Aspire's `<RESOURCE>_URI` for the database resource (each from the
 * environment, else from `envFile` when given), else the SQLite file, or a
 * server engine's local default with `localDefault`. An empty value counts
 * as unset. With `envFile` and `localDefault` this is the rule of the
 * `netscript` CLI, which the generated `@db` client follows.
 *
 * @param engine The configured engine.
 * @param options Resource name, defaults, `.env` file and environment reader.
 * @returns The URL (`file:` for SQLite).
 * @throws {NetScriptError} `DB_URL_NOT_FOUND` naming every variable tried;
 *   `ENV_FILE_INVALID` (of `@netscript/plugin`) when `envFile` has a malformed line.
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
  const real = options.env ?? _processEnv;
  const fromFile = options.envFile === undefined ? {} : _readEnvFile(options.envFile);
  const aspire = `${(options.resource ?? "db").replace(/[^A-Za-z0-9_]/g, "_").toUpperCase()}_URI`;
  const variables = ["DATABASE_URL", aspire];
  for (const name of variables) {
    const value = real(name) ?? (Object.hasOwn(fromFile, name) ? fromFile[name] : undefined);
    if (value !== undefined && value !== "") return value;
  }
  if (engine === "sqlite" && options.sqliteFile !== undefined) {
    const file = options.sqliteFile;
    return file instanceof URL ? `file:${file.pathname}` : `file:${file}`;
  }
  if (engine !== "sqlite" && options.localDefault) return LOCAL_DATABASE_URLS[engine];
  throw new NetScriptError<DbErrorCode>(
    "DB_URL_NOT_FOUND",
    `Cannot find the ${engine} database URL: set ${
      variables.join(" or ")
    } (for example DATABASE_URL=${
      engine === "sqlite" ? "file:./app.db" : LOCAL_DATABASE_URLS[engine]
    })`,
    { details: { engine, variables } },
  );
}

/** The variables of a `.env` file, or none when it is missing or the process may not read it. */
function _readEnvFile(file: string | URL): Record<string, string> {
  if (Deno.permissions.querySync({ name: "read", path: file }).state !== "granted") return {};
  let text: string;
  try {
    text = Deno.readTextFileSync(file);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return {};
    throw error;
  }
  return parseDotenv(text, file instanceof URL ? fileURLToPath(file) : file);
}

function _processEnv(name: string): string | undefined {
  return Deno.permissions.querySync({ name: "env", variable: name }).state === "granted"
    ? Deno.env.get(name)
    : undefined;
}
