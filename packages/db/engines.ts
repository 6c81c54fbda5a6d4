import type { DbEngine } from "@netscript/plugin";

/** What NetScript knows about one database engine. */
export interface EngineInfo {
  /** The engine, as written in `netscript.config.ts`. */
  readonly engine: DbEngine;
  /** Prisma's datasource provider name. */
  readonly provider: "postgresql" | "mysql" | "sqlserver" | "sqlite";
  /** How `netscript db migrate` runs for it: in-process WebAssembly, or the native engine. */
  readonly migrations: "wasm" | "native";
  /** The `@netscript/db` subpath that creates its driver adapter, if the typed client supports it here. */
  readonly adapterModule?: string;
  /** The adapter factory exported by that module. */
  readonly adapterExport?: string;
}

/** Every engine, by name. */
export const ENGINES: Readonly<Record<DbEngine, EngineInfo>> = {
  postgres: {
    engine: "postgres",
    provider: "postgresql",
    migrations: "wasm",
    adapterModule: "@netscript/db/adapters/postgres",
    adapterExport: "createPostgresAdapter",
  },
  sqlite: {
    engine: "sqlite",
    provider: "sqlite",
    migrations: "wasm",
    adapterModule: "@netscript/db/adapters/sqlite",
    adapterExport: "createSqliteAdapter",
  },
  mysql: {
    engine: "mysql",
    provider: "mysql",
    migrations: "native",
    adapterModule: "@netscript/db/adapters/mysql",
    adapterExport: "createMysqlAdapter",
  },
  mssql: { engine: "mssql", provider: "sqlserver", migrations: "native" },
};
