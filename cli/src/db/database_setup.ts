import { join } from "node:path";
import { ENGINES } from "@netscript/db";
import { type DbEngine, LOCAL_DATABASE_URLS } from "@netscript/plugin";
import { ENV_FILE } from "../env/workspace_env.ts";
import { databaseName } from "./database_url.ts";

/** The example of `.env` that `netscript init` writes for a server database. */
export const ENV_EXAMPLE_FILE = ".env.example";

/** A command to run after `netscript init`, and why. */
export interface SetupStep {
  /** The command, to run in the workspace. */
  command: string;
  /** What it does. */
  why: string;
}

/** What {@linkcode writeDatabaseSetup} wrote and what is left to do. */
export interface DatabaseSetup {
  /** The files it created, relative to the workspace root (not an existing `.gitignore` it added to). */
  files: string[];
  /** The database steps left, in order; none for SQLite, which init already set up. */
  steps: SetupStep[];
}

/**
 * Prepares a new workspace's local settings and says what the database
 * still needs: `.gitignore` keeps `.env` out of git; for a server engine,
 * `.env.example` holds the `DATABASE_URL` line to copy into `.env`, and the
 * steps are copying it, creating the database and creating the tables.
 *
 * @param root The new workspace's root.
 * @param engine Its database engine.
 * @returns The files it wrote and the steps left.
 * @example
 * ```ts
 * import { writeDatabaseSetup } from "./database_setup.ts";
 *
 * const { steps } = await writeDatabaseSetup("./my-app", "postgres");
 * for (const step of steps) console.log(`${step.command}   # ${step.why}`);
 * ```
 */
export async function writeDatabaseSetup(root: string, engine: DbEngine): Promise<DatabaseSetup> {
  const files = await _ignoreEnvFile(join(root, ".gitignore")) ? [".gitignore"] : [];
  if (engine === "sqlite") return { files, steps: [] };
  const url = LOCAL_DATABASE_URLS[engine];
  await Deno.writeTextFile(
    join(root, ENV_EXAMPLE_FILE),
    [
      "# Copy this file to .env and adjust it; netscript dev, db and doctor read .env,",
      "# and a variable set in the environment wins over the file.",
      "# The database: without DATABASE_URL (or DB_URI) NetScript uses this local default.",
      `DATABASE_URL=${url}`,
      "",
    ].join("\n"),
  );
  files.push(ENV_EXAMPLE_FILE);
  const steps: SetupStep[] = [{
    command: `cp ${ENV_EXAMPLE_FILE} ${ENV_FILE}`,
    why: "then set DATABASE_URL in .env if your database is elsewhere",
  }];
  if (!ENGINES[engine].adapterModule) return { files, steps };
  if (engine === "postgres" || engine === "mysql") {
    steps.push({
      command: "deno task netscript db create",
      why: `create the database "${databaseName(url)}" when it does not exist`,
    });
  }
  steps.push(
    engine === "postgres"
      ? { command: "deno task netscript db deploy", why: "create the Note table" }
      : { command: "deno task netscript db migrate --name init", why: "create the Note table" },
  );
  return { files, steps };
}

/**
 * Adds `.env` to a `.gitignore` unless a line ignores it already.
 *
 * @returns Whether the `.gitignore` was created.
 */
async function _ignoreEnvFile(path: string): Promise<boolean> {
  let text: string | undefined;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  const lines = (text ?? "").split(/\r?\n/).map((line) => line.trim());
  if (lines.includes(ENV_FILE) || lines.includes(`/${ENV_FILE}`)) return false;
  const before = text === undefined || text === "" || text.endsWith("\n") ? "" : "\n";
  await Deno.writeTextFile(path, `${text ?? ""}${before}${ENV_FILE}\n`);
  return text === undefined;
}
