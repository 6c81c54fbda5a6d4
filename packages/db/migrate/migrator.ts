import { resolve } from "node:path";
import { NetScriptError } from "@netscript/contracts/errors";
import type {
  SqlDriverAdapter,
  SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import type { DbErrorCode } from "../db_error_codes.ts";
import { postgresMigrationFactory, sqliteMigrationFactory } from "./adapter_factories.ts";
import { readMigrations, writeMigration } from "./migrations_dir.ts";
import {
  type EngineSchemaFile,
  loadSchemaEngine,
  openSchemaEngine,
  type SchemaEngine,
} from "./schema_engine.ts";

/** The engines the in-process (WebAssembly) schema engine migrates. */
export type WasmEngine = "postgres" | "sqlite";

/** Options of {@linkcode Migrator.open}. */
export interface MigratorOptions {
  /** The engine. */
  engine: WasmEngine;
  /** The database URL (`file:` for SQLite). */
  url: string;
  /** The migrations folder, e.g. `database/migrations`. */
  migrationsDir: string;
  /** The assembled schema. */
  schema: readonly EngineSchemaFile[];
}

/** Where a database stands against its migrations folder. */
export interface MigrationStatus {
  /** Migrations in the folder that are not applied yet. */
  pending: string[];
  /** Migrations recorded as failed. */
  failed: string[];
  /** Applied migrations whose file changed since. */
  edited: string[];
  /** Migrations applied to the database that the folder does not have. */
  unknown: string[];
  /** Why the database no longer matches its history, when it does not. */
  drift: string | null;
  /** `true` when nothing is pending, failed, edited, unknown or drifted. */
  upToDate: boolean;
}

const FILTERS = { externalTables: [] as string[], externalEnums: [] as string[] };

/**
 * Creates and applies migrations with Prisma's schema engine compiled to
 * WebAssembly, in-process, for PostgreSQL and SQLite. Migration folders use
 * Prisma's format, so they work with the official CLI too.
 */
export class Migrator {
  #engine: SchemaEngine;
  readonly #options: MigratorOptions;

  /** The connections the engine opened, which freeing it leaves open. */
  #connections: SqlDriverAdapter[];

  private constructor(
    engine: SchemaEngine,
    connections: SqlDriverAdapter[],
    options: MigratorOptions,
  ) {
    this.#engine = engine;
    this.#connections = connections;
    this.#options = options;
  }

  /**
   * Connects to the database.
   *
   * @param options Engine, URL, migrations folder and schema.
   * @returns The migrator; call `close()` when done.
   * @throws {NetScriptError} `DB_UNREACHABLE` when the database does not answer.
   */
  static async open(options: MigratorOptions): Promise<Migrator> {
    const connections: SqlDriverAdapter[] = [];
    return new Migrator(await Migrator.#connect(options, connections), connections, options);
  }

  /** Opens an engine; the connections it opens are added to `connections`. */
  static async #connect(
    options: MigratorOptions,
    connections: SqlDriverAdapter[],
  ): Promise<SchemaEngine> {
    const factory = _factory(options);
    const tracked: SqlMigrationAwareDriverAdapterFactory = {
      ...factory,
      async connect() {
        const connection = await factory.connect();
        connections.push(connection);
        return connection;
      },
    };
    // Loading the engine is not connecting: a failure there is not DB_UNREACHABLE.
    await loadSchemaEngine();
    try {
      return await openSchemaEngine(tracked, options.schema);
    } catch (error) {
      throw new NetScriptError<DbErrorCode>(
        "DB_UNREACHABLE",
        `Cannot connect to the ${options.engine} database at ${_redact(options.url)}: ${
          _message(error)
        }; check that it is running and that DATABASE_URL is right`,
        { details: { engine: options.engine, url: _redact(options.url) }, cause: error },
      );
    }
  }

  #closed = false;

  /** Releases the engine and closes its connections; calling it again does nothing. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#engine.free();
    await this.#disconnect();
  }

  async #disconnect(): Promise<void> {
    const connections = this.#connections.splice(0);
    await Promise.all(connections.map((connection) => connection.dispose()));
  }

  /**
   * Compares the database with the migrations folder.
   *
   * @returns Pending, failed, edited and unknown migrations, and drift.
   */
  async status(): Promise<MigrationStatus> {
    await this.#ensureHistoryTable();
    const migrationsList = await readMigrations(this.#options.migrationsDir);
    const diagnosis = await this.#engine.diagnoseMigrationHistory({
      migrationsList,
      optInToShadowDatabase: false,
      filters: FILTERS,
    });
    const history = diagnosis.history;
    const pending = history?.diagnostic === "migrationsDirectoryIsBehind"
      ? []
      : history?.unappliedMigrationNames ?? [];
    const unknown = history?.diagnostic === "databaseIsBehind"
      ? []
      : history?.unpersistedMigrationNames ?? [];
    const dev = await this.#devDiagnostic(migrationsList);
    const drift = dev.action.tag === "reset" ? dev.action.reason.trim() : null;
    const status = {
      pending,
      failed: diagnosis.failedMigrationNames,
      edited: diagnosis.editedMigrationNames,
      unknown,
      drift,
    };
    return {
      ...status,
      upToDate:
        pending.length + status.failed.length + status.edited.length + unknown.length === 0 &&
        drift === null,
    };
  }

  /**
   * Applies pending migrations, then creates a migration from the schema and
   * applies it (`prisma migrate dev`). The new migration is first run inside
   * a transaction that is rolled back, so a script that would fail leaves
   * the database and the folder as they were.
   *
   * @param name The migration's name, e.g. `add_tags`.
   * @param options Whether destructive changes are accepted.
   * @returns The created folder (or `null` when the schema matches), what was applied, and the data-loss warnings.
   * @throws {NetScriptError} `DB_DRIFT`, `DB_DATA_LOSS` or `DB_MIGRATION_FAILED`.
   */
  async migrate(
    name: string,
    options: { acceptDataLoss?: boolean } = {},
  ): Promise<{ created: string | null; applied: string[]; warnings: string[] }> {
    await this.#ensureHistoryTable();
    const directory = this.#options.migrationsDir;
    let migrationsList = await readMigrations(directory);
    await this.#refuseDrift(migrationsList);
    const applied = (await this.#engine.applyMigrations({ migrationsList, filters: FILTERS }))
      .appliedMigrationNames;
    // Work-around 2 again: the shadow schema cached above is that of the
    // migrations applied at the time; once pending ones are applied, the
    // engine looks up the whole folder and cannot replay it by itself.
    if (applied.length > 0) await this.#refuseDrift(migrationsList);
    const schema = {
      files: this.#options.schema.map((f) => ({ path: f.path, content: f.content })),
    };
    const loss = await this.#engine.evaluateDataLoss({ migrationsList, schema, filters: FILTERS });
    const warnings = [...loss.warnings, ...loss.unexecutableSteps].map((w) => w.message);
    if (warnings.length > 0 && !options.acceptDataLoss) {
      throw new NetScriptError<DbErrorCode>(
        "DB_DATA_LOSS",
        `The migration would lose data: ${
          warnings.join(" ")
        } Run again with --accept-data-loss to go ahead`,
        { details: { warnings } },
      );
    }
    const output = await this.#engine.createMigration({
      migrationsList,
      schema,
      migrationName: name,
      draft: false,
      filters: FILTERS,
    });
    if (output.migrationScript == null) return { created: null, applied, warnings };
    const created = output.generatedMigrationName;
    await this.#dryRun(output.migrationScript, created);
    await writeMigration(directory, created, output.migrationScript, output.connectorType);
    migrationsList = await readMigrations(directory);
    try {
      const result = await this.#engine.applyMigrations({ migrationsList, filters: FILTERS });
      return { created, applied: [...applied, ...result.appliedMigrationNames], warnings };
    } catch (error) {
      await Deno.remove(`${directory}/${created}`, { recursive: true });
      throw new NetScriptError<DbErrorCode>(
        "DB_MIGRATION_FAILED",
        `Migration ${created} failed to apply: ${
          _message(error)
        }; it was removed from ${directory}`,
        { details: { migration: created }, cause: error },
      );
    }
  }

  /**
   * Applies every pending migration (`prisma migrate deploy`), for CI and production.
   *
   * @returns The migrations applied.
   */
  async deploy(): Promise<{ applied: string[] }> {
    const migrationsList = await readMigrations(this.#options.migrationsDir);
    try {
      const result = await this.#engine.applyMigrations({ migrationsList, filters: FILTERS });
      return { applied: result.appliedMigrationNames };
    } catch (error) {
      throw new NetScriptError<DbErrorCode>(
        "DB_MIGRATION_FAILED",
        `Deploying migrations failed: ${_message(error)}`,
        {
          cause: error,
        },
      );
    }
  }

  /**
   * Makes the database match the schema without migrations (`prisma db push`).
   *
   * @param options Whether destructive changes are accepted.
   * @returns How many steps ran, and the data-loss warnings.
   * @throws {NetScriptError} `DB_DATA_LOSS` when changes would lose data and were not accepted.
   */
  async push(
    options: { acceptDataLoss?: boolean } = {},
  ): Promise<{ executedSteps: number; warnings: string[] }> {
    const schema = {
      files: this.#options.schema.map((f) => ({ path: f.path, content: f.content })),
    };
    const dry = await this.#engine.schemaPush({ schema, force: false, filters: FILTERS });
    if (dry.warnings.length === 0 && dry.unexecutable.length === 0) {
      return { executedSteps: dry.executedSteps, warnings: [] };
    }
    const warnings = [...dry.warnings, ...dry.unexecutable];
    if (!options.acceptDataLoss) {
      throw new NetScriptError<DbErrorCode>(
        "DB_DATA_LOSS",
        `Pushing the schema would lose data: ${
          warnings.join(" ")
        } Run again with --accept-data-loss to go ahead`,
        { details: { warnings } },
      );
    }
    const forced = await this.#engine.schemaPush({ schema, force: true, filters: FILTERS });
    return { executedSteps: forced.executedSteps, warnings };
  }

  /**
   * The SQL that would bring the database to the schema (`prisma migrate diff`).
   *
   * @returns The SQL script; empty when they match.
   */
  async diff(): Promise<string> {
    const schema = {
      files: this.#options.schema.map((f) => ({ path: f.path, content: f.content })),
    };
    const migrationsList = await readMigrations(this.#options.migrationsDir);
    const result = await this.#engine.diff(
      {
        from: { tag: "migrations", ...migrationsList },
        to: { tag: "schemaDatamodel", ...schema },
        script: true,
        exitCode: null,
        filters: FILTERS,
      } as Parameters<SchemaEngine["diff"]>[0],
    );
    return result.stdout ?? "";
  }

  /**
   * Drops everything in the database (`prisma migrate reset` without the
   * re-apply). Work-around 7: on SQLite the engine only deletes rows, so the
   * file is removed and reopened.
   */
  async reset(): Promise<void> {
    if (this.#options.engine === "postgres") {
      await this.#engine.reset({ filter: FILTERS });
      return;
    }
    const file = _sqlitePath(this.#options.url);
    this.#engine.free();
    await this.#disconnect();
    for (const suffix of ["", "-journal", "-wal", "-shm"]) {
      await Deno.remove(`${file}${suffix}`).catch(() => {});
    }
    this.#engine = await Migrator.#connect(this.#options, this.#connections);
  }

  /** Replays the applied migrations on a shadow database and throws `DB_DRIFT` when the database differs. */
  async #refuseDrift(migrationsList: Awaited<ReturnType<typeof readMigrations>>): Promise<void> {
    const dev = await this.#devDiagnostic(migrationsList);
    if (dev.action.tag === "reset") {
      throw new NetScriptError<DbErrorCode>(
        "DB_DRIFT",
        `The database no longer matches its migration history: ${dev.action.reason.trim()}; run netscript db reset --force to recreate it from the migrations (this deletes its data)`,
        { details: { reason: dev.action.reason } },
      );
    }
  }

  /**
   * Replays the applied migrations on a shadow database (work-around 2: this
   * also fills the engine's cache of their schema, which `evaluateDataLoss`
   * and `createMigration` need, as they cannot open a shadow database).
   */
  async #devDiagnostic(migrationsList: Awaited<ReturnType<typeof readMigrations>>) {
    try {
      return await this.#engine.devDiagnostic({ migrationsList, filters: FILTERS });
    } catch (error) {
      throw new NetScriptError<DbErrorCode>(
        "DB_SHADOW_UNAVAILABLE",
        `Cannot replay the migrations on a shadow database: ${
          _message(error)
        }; on PostgreSQL the database user needs the CREATEDB privilege (netscript db deploy works without it)`,
        { cause: error },
      );
    }
  }

  /**
   * Work-around 5: on a never-migrated SQLite database the history calls fail
   * instead of reporting no history; applying an empty list creates the
   * `_prisma_migrations` table.
   */
  async #ensureHistoryTable(): Promise<void> {
    if (this.#options.engine !== "sqlite") return;
    const list = await readMigrations(this.#options.migrationsDir);
    await this.#engine.applyMigrations({
      migrationsList: { ...list, migrationDirectories: [] },
      filters: FILTERS,
    });
  }

  /** Runs a new migration in a transaction that is rolled back: DDL is transactional in PostgreSQL and SQLite. */
  async #dryRun(script: string, name: string): Promise<void> {
    const adapter = await _factory(this.#options).connect();
    try {
      await adapter.executeScript(`BEGIN;\n${script}\nROLLBACK;`);
    } catch (error) {
      await adapter.executeScript("ROLLBACK;").catch(() => {});
      throw new NetScriptError<DbErrorCode>(
        "DB_MIGRATION_FAILED",
        `Migration ${name} would fail on this database: ${
          _message(error)
        }; nothing was written or applied (for a new required column on a table with rows, give it a default)`,
        { details: { migration: name, script }, cause: error },
      );
    } finally {
      await adapter.dispose();
    }
  }
}

/** The file of a `file:` SQLite URL, absolute or relative to the working directory. */
function _sqlitePath(url: string): string {
  const path = url.slice("file:".length);
  return resolve(path.startsWith("//") ? path.slice(2) : path);
}

function _factory(options: MigratorOptions): SqlMigrationAwareDriverAdapterFactory {
  return options.engine === "postgres"
    ? postgresMigrationFactory(options.url)
    : sqliteMigrationFactory(options.url);
}

function _message(error: unknown): string {
  return error instanceof Error ? error.message.split("\n")[0]! : String(error);
}

function _redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");
}
