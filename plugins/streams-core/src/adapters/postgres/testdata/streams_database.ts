/**
 * Fresh PostgreSQL databases with the streams tables, for the adapter's
 * tests. The tables come from `streams.prisma`, applied the way
 * `netscript db` applies a plugin's fragment: assembled in a throw-away
 * workspace, then pushed through `@netscript/db/migrate`.
 *
 * @module
 */
import { join } from "node:path";
import { assembleSchema } from "@netscript/db";
import { Migrator } from "@netscript/db/migrate";
import { freshPostgresDatabase, pgQuery } from "../../../../../../tests/support/databases.ts";

/** The streams schema fragment. */
export const STREAMS_FRAGMENT = new URL("../streams.prisma", import.meta.url);

/** A database made for one test. */
export interface TestDatabase {
  /** Its URL. */
  url: string;
  /** Drops it. */
  drop(): Promise<void>;
}

/**
 * Creates a database with the streams tables in it.
 *
 * @returns The database.
 */
export async function freshStreamsDatabase(): Promise<TestDatabase> {
  const database = await freshPostgresDatabase();
  const root = await Deno.makeTempDir({ prefix: "netscript-streams-pg-" });
  try {
    const fragment = "plugins/streams/database/streams.prisma";
    await Deno.mkdir(join(root, "plugins/streams/database"), { recursive: true });
    await Deno.copyFile(STREAMS_FRAGMENT, join(root, fragment));
    const schema = await assembleSchema(root, {
      engine: "postgres",
      fragments: [{ plugin: "streams", path: fragment, engine: "postgres" }],
    });
    const migrator = await Migrator.open({
      engine: "postgres",
      url: database.url,
      migrationsDir: join(root, "database/migrations"),
      schema: schema.files.map(({ path, content }) => ({ path, content })),
    });
    try {
      await migrator.push();
    } finally {
      await migrator.close();
    }
  } catch (error) {
    await database.drop();
    throw error;
  } finally {
    await Deno.remove(root, { recursive: true });
  }
  return database;
}

/**
 * Empties the streams tables.
 *
 * @param url The database.
 */
export async function truncateStreamsTables(url: string): Promise<void> {
  await pgQuery(url, "TRUNCATE streams_streams, streams_chunks");
}
