import { join } from "node:path";
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
import { generateRegistry } from "../registry/generate_registry.ts";
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
    throw new NetScriptError(
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
 * The workspace's database URL: `DATABASE_URL`, Aspire's `DB_URI`, or for
 * SQLite the file under `.netscript/data/` (whose folder is created).
 *
 * @param root The workspace root.
 * @param engine The engine.
 * @returns The URL.
 */
export async function workspaceDatabaseUrl(root: string, engine: DbEngine): Promise<string> {
  const url = resolveDatabaseUrl(engine, { sqliteFile: join(root, SQLITE_FILE) });
  if (engine === "sqlite" && url.startsWith("file:")) {
    const path = url.slice("file:".length);
    await Deno.mkdir(path.slice(0, path.lastIndexOf("/")) || ".", { recursive: true });
  }
  return url;
}

/**
 * Opens the in-process migrator for the workspace, or explains why the
 * engine needs Prisma's native schema engine.
 *
 * @param root The workspace root.
 * @returns The migrator and the engine; close the migrator when done.
 * @throws {NetScriptError} `DB_NATIVE_ENGINE_REQUIRED` for MySQL and SQL Server.
 */
export async function openWorkspaceMigrator(
  root: string,
): Promise<{ migrator: Migrator; engine: DbEngine; schema: AssembledSchema }> {
  const engine = await readEngine(root);
  if (ENGINES[engine].migrations === "native") {
    throw new NetScriptError(
      "DB_NATIVE_ENGINE_REQUIRED",
      `Migrations for ${engine} need Prisma's native schema engine: the WebAssembly engine NetScript runs in-process supports only postgres and sqlite, and the prisma CLI downloads the native engine from binaries.prisma.sh, which is not reachable from here. Install the schema-engine binary for Prisma 7.10.1 (engine d1b3f377) on this machine and set PRISMA_SCHEMA_ENGINE_BINARY to its path, then run npx prisma@7.10.1 migrate dev --schema .netscript/db/schema. The typed client (netscript db generate) works without it.`,
      { details: { engine } },
    );
  }
  const schema = await prepareSchema(root, engine);
  const url = await workspaceDatabaseUrl(root, engine);
  const migrator = await Migrator.open({
    engine: engine as "postgres" | "sqlite",
    url,
    migrationsDir: join(root, MIGRATIONS_DIR),
    schema: schema.files.map((f) => ({ path: f.source, content: f.content })),
  });
  return { migrator, engine, schema };
}
