/**
 * Fresh PostgreSQL databases with the workers tables, for the adapter's
 * tests. The tables come from the workers plugin's schema fragment, applied
 * the way `netscript db` applies it: assembled as a plugin fragment in a
 * throw-away workspace, then pushed through `@netscript/db/migrate`. The fragment is read as a data file from its
 * path in the repository: core code never imports the plugin package.
 *
 * @module
 */
import {
  freshPluginDatabase,
  freshPostgresDatabase,
  pgQuery,
} from "../../../../../../tests/support/databases.ts";

/** The workers plugin's schema fragment, beside this package in the repository. */
export const WORKERS_FRAGMENT = new URL(
  "../../../../../workers/scaffold/database/workers.prisma",
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
 * Creates a database and, unless `tables` is false, the workers tables in it.
 *
 * @param options Whether to create the tables.
 * @returns The database.
 */
export async function freshWorkersDatabase(
  options: { tables?: boolean } = {},
): Promise<TestDatabase> {
  return options.tables === false
    ? await freshPostgresDatabase()
    : await freshPluginDatabase([{ plugin: "workers", file: WORKERS_FRAGMENT }]);
}

/**
 * Empties the workers tables.
 *
 * @param url The database.
 */
export async function truncateWorkersTables(url: string): Promise<void> {
  await pgQuery(
    url,
    `TRUNCATE workers_jobs, workers_schedule_ticks, workers_once_keys, workers_watched_states,
      workers_state_events RESTART IDENTITY`,
  );
}
