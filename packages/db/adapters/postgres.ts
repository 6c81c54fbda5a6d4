/**
 * The Prisma driver adapter for PostgreSQL (`pg`), pooled.
 *
 * @module
 */
import { PrismaPg } from "@prisma/adapter-pg";

/** Options of {@linkcode createPostgresAdapter}. */
export interface PostgresAdapterOptions {
  /**
   * The most connections the pool opens.
   * @default {10}
   */
  maxConnections?: number;
}

/**
 * Creates a pooled PostgreSQL adapter for a generated Prisma client.
 *
 * @param url A `postgresql://` connection URL.
 * @param options Pool size.
 * @returns The adapter factory to pass as `new PrismaClient({ adapter })`.
 *
 * @example
 * ```ts ignore
 * import { createPostgresAdapter } from "@netscript/db/adapters/postgres";
 * import { PrismaClient } from "./.netscript/db/client/client.ts";
 *
 * const db = new PrismaClient({ adapter: createPostgresAdapter(Deno.env.get("DATABASE_URL")!) });
 * ```
 */
export function createPostgresAdapter(url: string, options: PostgresAdapterOptions = {}): PrismaPg {
  return new PrismaPg({ connectionString: url, max: options.maxConnections ?? 10 });
}
