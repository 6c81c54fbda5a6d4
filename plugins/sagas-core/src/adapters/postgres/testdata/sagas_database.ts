/**
 * Fresh PostgreSQL databases with the sagas tables, for the adapter's
 * tests. The tables come from the sagas plugin's schema fragment, applied
 * the way `netscript db` applies a plugin's fragment: assembled in
 * a throw-away workspace, then pushed through `@netscript/db/migrate`.
 *
 * @module
 */
import {
  freshPluginDatabase,
  freshPostgresDatabase,
  pgQuery,
} from "../../../../../../tests/support/databases.ts";

/**
 * The sagas plugin's schema fragment, beside this package in the
 * repository: read as a data file, since core code never imports its plugin.
 */
export const SAGAS_FRAGMENT = new URL(
  "../../../../../sagas/scaffold/database/sagas.prisma",
  import.meta.url,
);

/** A database made for one test. */
export interface TestDatabase {
  /** Its URL. */
  url: string;
  /** Drops it. */
  drop(): Promise<void>;
}

/**
 * Creates a database and, unless `tables` is false, the sagas tables in it.
 *
 * @param options Whether to create the tables.
 * @returns The database.
 */
export async function freshSagasDatabase(
  options: { tables?: boolean } = {},
): Promise<TestDatabase> {
  return options.tables === false
    ? await freshPostgresDatabase()
    : await freshPluginDatabase([{ plugin: "sagas", file: SAGAS_FRAGMENT }]);
}

/**
 * Empties the sagas tables.
 *
 * @param url The database.
 */
export async function truncateSagasTables(url: string): Promise<void> {
  await pgQuery(
    url,
    `TRUNCATE sagas_runs, sagas_entries, sagas_signals, sagas_watched_states, sagas_state_events
      RESTART IDENTITY`,
  );
}
