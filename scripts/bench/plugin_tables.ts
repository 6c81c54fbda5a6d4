/**
 * The plugins' tables in a benchmark's fresh PostgreSQL database, created
 * the way `netscript db migrate` creates them: the plugins' schema
 * fragments assembled after the workspace header, applied as one
 * migration through `@netscript/db/migrate`.
 *
 * @module
 */
import { renderSchemaHeader } from "@netscript/db";
import { Migrator } from "@netscript/db/migrate";

/** A plugin's schema fragment, as its scaffold ships it. */
export interface PluginFragment {
  /** The plugin's slug, e.g. `workers`. */
  readonly plugin: string;
  /** The fragment's file, e.g. `plugins/workers/scaffold/database/workers.prisma`. */
  readonly file: URL;
}

/**
 * The schema fragment of a first-party plugin of this checkout.
 *
 * @param plugin The plugin's slug, e.g. `sagas`.
 * @returns Its fragment.
 */
export function pluginFragment(plugin: string): PluginFragment {
  return {
    plugin,
    file: new URL(`../../plugins/${plugin}/scaffold/database/${plugin}.prisma`, import.meta.url),
  };
}

/**
 * Creates the tables of `fragments` in a database: one migration, applied.
 *
 * @param url The database.
 * @param fragments The plugins' fragments.
 */
export async function createPluginTables(
  url: string,
  fragments: readonly PluginFragment[],
): Promise<void> {
  const folder = await Deno.makeTempDir({ prefix: "netscript-bench-migrations-" });
  try {
    const migrator = await Migrator.open({
      engine: "postgres",
      url,
      migrationsDir: folder,
      schema: [
        { path: "_netscript.prisma", content: renderSchemaHeader("postgres") },
        ...await Promise.all(fragments.map(async ({ plugin, file }) => ({
          path: `plugins/${plugin}/database/${plugin}.prisma`,
          content: await Deno.readTextFile(file),
        }))),
      ],
    });
    try {
      await migrator.migrate(fragments.map(({ plugin }) => plugin).join("-"));
    } finally {
      await migrator.close();
    }
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
}
