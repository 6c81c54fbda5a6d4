import { join, relative, resolve } from "node:path";
import { assembleSchema } from "@netscript/db";
import type { DbEngine, Registry } from "@netscript/plugin";
import { redactSecrets } from "@netscript/store";
import { databaseName } from "./database_url.ts";
import { type DatabaseInspection, inspectDatabase, schemaTables } from "./inspect_database.ts";
import { MIGRATIONS_DIR } from "./workspace_db.ts";

/** One finding about the workspace's database, shaped like every `netscript doctor` finding. */
export interface DatabaseFinding {
  /** What was checked. */
  check: "database exists" | "migrations" | "tables";
  /** `fail` when it needs fixing. */
  status: "ok" | "warn" | "fail";
  /** What was found. */
  detail: string;
  /** The command that fixes it, empty when nothing needs fixing. */
  fix: string;
}

/** Options of {@linkcode checkDatabase}. */
export interface CheckDatabaseOptions {
  /** The workspace's engine. */
  engine: DbEngine;
  /** The database's URL, as `netscript dev` and `netscript db` use it. */
  url: string;
  /** The registry, for the plugins' schema fragments. */
  registry: Registry;
}

/**
 * Checks, without changing anything, that the workspace's database exists,
 * that every migration under `database/migrations` is applied (listing the
 * pending and failed ones), and that every table the schema's models need
 * is there, each with the command that fixes it. Run it once the server
 * answers.
 *
 * @param root The workspace root.
 * @param options The engine, the URL and the registry.
 * @returns The three findings (none for `mssql`, which is not inspected).
 * @example
 * ```ts
 * import type { Registry } from "@netscript/plugin";
 * import { checkDatabase } from "./check_database.ts";
 *
 * declare const registry: Registry;
 * const url = "postgresql://postgres@127.0.0.1:5432/app";
 * for (const finding of await checkDatabase(Deno.cwd(), { engine: "postgres", url, registry })) {
 *   console.log(finding.check, finding.status, finding.detail, finding.fix);
 * }
 * ```
 */
export async function checkDatabase(
  root: string,
  options: CheckDatabaseOptions,
): Promise<DatabaseFinding[]> {
  const { engine, url } = options;
  if (engine === "mssql") return [];
  const name = engine === "sqlite"
    ? relative(root, resolve(root, url.replace(/^file:/, "")))
    : `"${databaseName(url) ?? "?"}"`;
  let found: DatabaseInspection;
  try {
    found = await inspectDatabase(engine, url);
  } catch (error) {
    return [{
      check: "database exists",
      status: "fail",
      detail: `cannot look into ${name}: ${redactSecrets((error as Error).message)}`,
      fix: "check the user and password in DATABASE_URL (in the environment or .env)",
    }];
  }
  const folder = await _migrationFolders(join(root, MIGRATIONS_DIR));
  const applied = found.exists ? found.applied : [];
  const pending = folder.filter((m) => !applied.includes(m));
  const deploy = found.exists || engine === "sqlite"
    ? "netscript db deploy"
    : "netscript db create, then netscript db deploy";
  const schema = await assembleSchema(root, { engine, fragments: options.registry.dbSchemas });
  const have = found.exists ? found.tables : [];
  const missing = schemaTables(schema).filter((t) => !have.includes(t));
  return [
    found.exists ? { check: "database exists", status: "ok", detail: name, fix: "" } : {
      check: "database exists",
      status: "fail",
      detail: `${name} does not exist`,
      fix: engine === "sqlite" ? "netscript db deploy (creates the file)" : deploy,
    },
    found.exists && found.failed.length > 0
      ? {
        check: "migrations",
        status: "fail",
        detail: `failed: ${found.failed.join(", ")}`,
        fix:
          "fix the migration's SQL, then netscript db status; netscript db reset --force starts over",
      }
      : pending.length > 0
      ? {
        check: "migrations",
        status: "fail",
        detail: `${pending.length} pending: ${pending.join(", ")}`,
        fix: deploy,
      }
      : { check: "migrations", status: "ok", detail: `${applied.length} applied`, fix: "" },
    missing.length === 0
      ? { check: "tables", status: "ok", detail: "every model has its table", fix: "" }
      : {
        check: "tables",
        status: "fail",
        detail: `missing: ${missing.join(", ")}`,
        fix: pending.length > 0
          ? deploy
          : "netscript db migrate --name <change> (writes and applies a migration for them)",
      },
  ];
}

/** The migration folders (those holding a `migration.sql`), sorted by name. */
async function _migrationFolders(directory: string): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(directory)) {
      if (!entry.isDirectory) continue;
      try {
        await Deno.stat(join(directory, entry.name, "migration.sql"));
        names.push(entry.name);
      } catch (error) {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
      }
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return names.sort();
}
