/**
 * Fresh PostgreSQL databases with the triggers tables, for the adapter's
 * tests. The tables come from the triggers plugin's schema fragment,
 * applied the way `netscript db` applies it: assembled as a plugin
 * fragment in a throw-away workspace, then pushed through
 * `@netscript/db/migrate`. The fragment is read as a data file from its
 * path in the repository: core code never imports the plugin package.
 *
 * @module
 */
import {
  freshPluginDatabase,
  freshPostgresDatabase,
  pgQuery,
  postgres,
} from "../../../../../../tests/support/databases.ts";
import { assertAvailable } from "../../../../../../tests/support/requirements.ts";

/** The triggers plugin's schema fragment, beside this package in the repository. */
export const TRIGGERS_FRAGMENT = new URL(
  "../../../../../triggers/scaffold/database/triggers.prisma",
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
 * Creates a database and, unless `tables` is false, the triggers tables in it.
 *
 * @param options Whether to create the tables.
 * @returns The database.
 */
export async function freshTriggersDatabase(
  options: { tables?: boolean } = {},
): Promise<TestDatabase> {
  return options.tables === false
    ? await freshPostgresDatabase()
    : await freshPluginDatabase([{ plugin: "triggers", file: TRIGGERS_FRAGMENT }]);
}

/**
 * Empties the triggers tables.
 *
 * @param url The database.
 */
export async function truncateTriggersTables(url: string): Promise<void> {
  await pgQuery(url, "TRUNCATE triggers_deliveries, triggers_cursors RESTART IDENTITY");
}

/**
 * Declares a test on a fresh database, dropped afterwards: ignored (with
 * the probe's printed reason) when PostgreSQL is unreachable.
 *
 * @param name The test's name.
 * @param fn The test.
 * @param options Whether to create the triggers tables (default yes).
 */
export function pgTest(
  name: string,
  fn: (database: TestDatabase, t: Deno.TestContext) => Promise<void>,
  options: { tables?: boolean } = {},
): void {
  Deno.test({
    name,
    ignore: postgres.ignore,
    async fn(t) {
      assertAvailable(postgres, "postgres");
      const database = await freshTriggersDatabase(options);
      try {
        await fn(database, t);
      } finally {
        await database.drop();
      }
    },
  });
}
