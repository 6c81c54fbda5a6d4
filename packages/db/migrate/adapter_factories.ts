import { PrismaLibSql } from "@prisma/adapter-libsql";
import { PrismaPg } from "@prisma/adapter-pg";
import type {
  SqlDriverAdapter,
  SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
// @ts-types="@types/pg"
import pg from "pg";
import { parse as parsePostgresUrl } from "pg-connection-string";

type PgConfig = pg.PoolConfig;

/**
 * Work-around 1: `@prisma/adapter-pg` cannot decode PostgreSQL's internal
 * `"char"` type (OID 18), which the engine's schema describer selects on
 * every migration. This client reports such columns as `text` (OID 25).
 */
class CharAsTextClient extends pg.Client {
  // deno-lint-ignore no-explicit-any
  override query(...args: any[]): any {
    const query = pg.Client.prototype.query as (...a: unknown[]) => unknown;
    const callback = args.at(-1);
    if (typeof callback === "function") {
      args[args.length - 1] = (error: unknown, result: unknown) =>
        callback(error, error ? result : _patchCharColumns(result));
      return query.apply(this, args);
    }
    const pending = query.apply(this, args) as Promise<unknown> | undefined;
    return typeof pending?.then === "function" ? pending.then(_patchCharColumns) : pending;
  }
}

function _patchCharColumns<T>(result: T): T {
  for (const field of (result as { fields?: { dataTypeID: number }[] } | null)?.fields ?? []) {
    if (field.dataTypeID === 18) field.dataTypeID = 25;
  }
  return result;
}

/**
 * Work-around 3: with a `connectionString`, node-postgres ignores the
 * `database` that `connectToShadowDb()` sets, so the "shadow" connection
 * would hit the main database. Discrete settings avoid that.
 */
function _pgConfig(url: string): PgConfig {
  const parsed = parsePostgresUrl(url);
  return {
    host: parsed.host ?? undefined,
    port: parsed.port ? Number(parsed.port) : undefined,
    user: parsed.user,
    password: parsed.password,
    database: parsed.database ?? undefined,
  };
}

/**
 * The PostgreSQL factory the schema engine migrates through, with its shadow
 * database created as a temporary database and dropped after its pool is
 * closed (work-around 4: the adapter drops it while still connected).
 *
 * @param url The database URL.
 * @returns A migration-aware adapter factory.
 */
export function postgresMigrationFactory(url: string): SqlMigrationAwareDriverAdapterFactory {
  const config = _pgConfig(url);
  const adapterFor = (settings: PgConfig) =>
    new PrismaPg(new pg.Pool({ ...settings, Client: CharAsTextClient } as PgConfig), {
      disposeExternalPool: true,
    });
  const main = adapterFor(config);
  return {
    provider: "postgres",
    adapterName: main.adapterName,
    connect: () => main.connect(),
    async connectToShadowDb(): Promise<SqlDriverAdapter> {
      const admin = new pg.Client(config);
      await admin.connect();
      const name = `netscript_shadow_${crypto.randomUUID().replaceAll("-", "")}`;
      await admin.query(`CREATE DATABASE "${name}"`);
      const shadow = await adapterFor({ ...config, database: name }).connect();
      const dispose = shadow.dispose.bind(shadow);
      shadow.dispose = async () => {
        await dispose();
        await admin.query(`DROP DATABASE IF EXISTS "${name}"`);
        await admin.end();
      };
      return shadow;
    },
  };
}

/**
 * The SQLite factory the schema engine migrates through. Work-around 6: on
 * the shadow database the engine replays whole migration scripts through
 * `executeRaw`, which runs only the first statement; such parameterless
 * calls go through `executeScript` instead.
 *
 * @param url A `file:` URL.
 * @returns A migration-aware adapter factory.
 */
export function sqliteMigrationFactory(url: string): SqlMigrationAwareDriverAdapterFactory {
  const factory = new PrismaLibSql({ url });
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: () => factory.connect(),
    async connectToShadowDb(): Promise<SqlDriverAdapter> {
      const shadow = await factory.connectToShadowDb();
      const executeRaw = shadow.executeRaw.bind(shadow);
      shadow.executeRaw = async (query) => {
        if (query.args.length > 0) return await executeRaw(query);
        await shadow.executeScript(query.sql);
        return 0;
      };
      return shadow;
    },
  };
}
