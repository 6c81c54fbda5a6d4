/**
 * Fresh PostgreSQL databases with the streams tables, for the adapter's
 * tests. The tables come from `streams.prisma`, applied the way
 * `netscript db` applies a plugin's fragment: assembled in a throw-away
 * workspace, then pushed through `@netscript/db/migrate`.
 *
 * @module
 */
import { freshPluginDatabase, pgQuery } from "../../../../../../tests/support/databases.ts";

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
  return await freshPluginDatabase([{ plugin: "streams", file: STREAMS_FRAGMENT }]);
}

/**
 * Empties the streams tables.
 *
 * @param url The database.
 */
export async function truncateStreamsTables(url: string): Promise<void> {
  await pgQuery(url, "TRUNCATE streams_streams, streams_chunks");
}
