/**
 * A real generated Prisma client for the workers tables, for the
 * transactional enqueue tests. `prisma generate` writes it under a
 * git-ignored `.netscript/` folder inside the workspace, so the generated
 * code resolves `@prisma/client` through the workspace's import map.
 *
 * @module
 */
import { join } from "node:path";
import { renderSchemaHeader } from "@netscript/db";
import { createPostgresAdapter } from "@netscript/db/adapters/postgres";
import type { PrismaRawQueryable } from "@netscript/store/postgres";
import { WORKERS_FRAGMENT } from "./workers_database.ts";
import { runPrismaCli } from "../../../../../../cli/src/db/prisma_cli.ts";

/** The part of a generated Prisma client these tests use. */
export interface TestPrismaClient {
  /** Runs `fn` in an interactive transaction; it rolls back when `fn` throws. */
  $transaction<T>(fn: (tx: PrismaRawQueryable) => Promise<T>): Promise<T>;
  /** Closes its connections. */
  $disconnect(): Promise<void>;
}

/** A generated client and the folder it lives in. */
export interface GeneratedPrismaClient {
  /** The client, connected to the database it was made for. */
  client: TestPrismaClient;
  /** Disconnects the client and removes the generated files. */
  dispose(): Promise<void>;
}

/**
 * Generates a Prisma client for the workers schema and connects it.
 *
 * @param url The database.
 * @returns The client and its clean-up.
 */
export async function generatePrismaClient(url: string): Promise<GeneratedPrismaClient> {
  const parent = new URL("../.netscript/", import.meta.url).pathname;
  await Deno.mkdir(parent, { recursive: true });
  const root = await Deno.makeTempDir({ dir: parent, prefix: "prisma-" });
  const remove = async () => {
    await Deno.remove(root, { recursive: true });
    for await (const _ of Deno.readDir(parent)) return; // another test's client lives there
    await Deno.remove(parent);
  };
  try {
    await Deno.mkdir(join(root, "schema"));
    await Deno.writeTextFile(
      join(root, "schema/_netscript.prisma"),
      renderSchemaHeader("postgres"),
    );
    await Deno.copyFile(WORKERS_FRAGMENT, join(root, "schema/workers.prisma"));
    // prisma generate never runs the schema engine but insists on finding one.
    const generate = await runPrismaCli(root, ["generate", "--schema", "schema"], {
      PRISMA_SCHEMA_ENGINE_BINARY: Deno.execPath(),
    });
    if (!generate.success) throw new Error(`prisma generate failed: ${generate.output}`);
    const generated: { PrismaClient: new (options: { adapter: unknown }) => TestPrismaClient } =
      await import(new URL(`file://${root}/client/client.ts`).href);
    const client = new generated.PrismaClient({ adapter: createPostgresAdapter(url) });
    return {
      client,
      async dispose() {
        await client.$disconnect();
        await remove();
      },
    };
  } catch (error) {
    await remove();
    throw error;
  }
}
