import { dirname, join, resolve } from "node:path";
import { NetScriptError } from "@netscript/contracts/errors";
import {
  type AssembledSchema,
  assembleSchema,
  ENGINES,
  resolveDatabaseUrl,
  writeAssembledSchema,
} from "@netscript/db";
import { Migrator } from "@netscript/db/migrate";
import { DB_ENGINES, type DbEngine } from "@netscript/plugin";
import type { CliErrorCode } from "../cli_error_codes.ts";
import { generateRegistry } from "../registry/generate_registry.ts";
import { loadWorkspaceEnv, type WorkspaceEnv } from "../env/workspace_env.ts";
import { serverDatabaseUrl } from "./database_url.ts";
import { nativeSchemaEngine } from "./native_prisma.ts";
import { CONFIG_FILE } from "../workspace.ts";

/** The migrations folder, relative to the workspace root (as `netscript db` documents it). */
export const MIGRATIONS_DIR = "database/migrations";

/** The default SQLite file, relative to the workspace root. */
export const SQLITE_FILE = ".netscript/data/app.db";

/**
 * Reads the database engine from `netscript.config.ts`.
 *
 * @param root The workspace root.
 * @returns The engine.
 * @throws {NetScriptError} `CONFIG_UNEDITABLE` when it cannot be found.
 */
export async function readEngine(root: string): Promise<DbEngine> {
  const source = await Deno.readTextFile(join(root, CONFIG_FILE));
  const engine = source.match(/engine:\s*"(\w+)"/)?.[1];
  if (!engine || !(DB_ENGINES as readonly string[]).includes(engine)) {
    throw new NetScriptError<CliErrorCode>(
      "CONFIG_UNEDITABLE",
      `Cannot find db: { engine: … } in ${CONFIG_FILE}; it must name one of ${
        DB_ENGINES.join(", ")
      }`,
    );
  }
  return engine as DbEngine;
}

/**
 * Regenerates the registry, assembles the schema from `database/*.prisma`
 * and the plugins' fragments, and writes it under `.netscript/db/schema`.
 *
 * @param root The workspace root.
 * @param engine The engine.
 * @returns The assembled schema.
 */
export async function prepareSchema(root: string, engine: DbEngine): Promise<AssembledSchema> {
  const { registry } = await generateRegistry(root, { check: false });
  const schema = await assembleSchema(root, { engine, fragments: registry.dbSchemas });
  await writeAssembledSchema(root, schema);
  return schema;
}

/**
 * The workspace's database URL. For a server engine: `DATABASE_URL`, else
 * Aspire's `DB_URI` (each from the environment, else the workspace's
 * `.env`), else the engine's local default (see `serverDatabaseUrl`), the
 * same URL `netscript dev` gives the services. For SQLite: those
 * variables, else the file under `.netscript/data/` (whose folder is
 * created).
 *
 * @param root The workspace root.
 * @param engine The engine.
 * @param env The workspace's variables; read from the environment and `.env` when omitted.
 * @returns The URL.
 * @throws {NetScriptError} `ENV_FILE_INVALID` when `.env` is malformed.
 */
export async function workspaceDatabaseUrl(
  root: string,
  engine: DbEngine,
  env?: WorkspaceEnv,
): Promise<string> {
  const variables = env ?? await loadWorkspaceEnv(root);
  if (engine !== "sqlite") return serverDatabaseUrl(engine, variables).url;
  const url = resolveDatabaseUrl(engine, {
    sqliteFile: join(root, SQLITE_FILE),
    env: (name) => variables.get(name),
  });
  if (url.startsWith("file:")) {
    await Deno.mkdir(dirname(resolve(root, url.slice("file:".length))), { recursive: true });
  }
  return url;
}

/** How a workspace's migrations run: in-process, or through the official CLI with a native engine. */
export type WorkspaceMigrations =
  | { kind: "wasm"; migrator: Migrator; engine: DbEngine; schema: AssembledSchema }
  | { kind: "native"; binary: string; url: string; engine: DbEngine; schema: AssembledSchema };

/**
 * Prepares the workspace's migrations: the in-process migrator for
 * postgres and sqlite; for mysql and mssql, Prisma's native engine when
 * `PRISMA_SCHEMA_ENGINE_BINARY` names a real one, else an error saying what
 * to install.
 *
 * @param root The workspace root.
 * @returns The way migrations run; close an in-process migrator when done.
 * @throws {NetScriptError} `DB_NATIVE_ENGINE_REQUIRED`, `DB_NATIVE_ENGINE_INVALID`,
 *   `ENV_FILE_INVALID`, or the migrator's `DB_UNREACHABLE`.
 */
export async function openWorkspaceMigrations(root: string): Promise<WorkspaceMigrations> {
  const engine = await readEngine(root);
  const env = await loadWorkspaceEnv(root);
  if (ENGINES[engine].migrations === "native") {
    const binary = await nativeSchemaEngine(engine, env);
    const schema = await prepareSchema(root, engine);
    return {
      kind: "native",
      binary,
      url: await workspaceDatabaseUrl(root, engine, env),
      engine,
      schema,
    };
  }
  const schema = await prepareSchema(root, engine);
  const url = await workspaceDatabaseUrl(root, engine, env);
  const migrator = await Migrator.open({
    engine: engine as "postgres" | "sqlite",
    url,
    migrationsDir: join(root, MIGRATIONS_DIR),
    schema: schema.files.map((f) => ({ path: f.source, content: f.content })),
  });
  return { kind: "wasm", migrator, engine, schema };
}
