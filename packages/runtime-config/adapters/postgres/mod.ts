/**
 * A config store in a PostgreSQL database, for workspaces whose processes
 * run on several machines. Values live in `netscript.config_topics` (its own
 * schema, out of the way of the application's Prisma migrations); writes
 * send `NOTIFY netscript_config` with the topic's name, and watches listen
 * on one connection that reconnects by itself.
 *
 * @example
 * ```ts ignore
 * import { createPostgresConfigStore } from "@netscript/runtime-config/postgres";
 *
 * const store = await createPostgresConfigStore({ url: "postgresql://postgres@localhost:5432/app" });
 * await store.write("workers", { concurrency: 4 });
 * console.log((await store.read("workers"))?.revision);
 * await store.close();
 * ```
 *
 * @module
 */
export {
  createPostgresConfigStore,
  type CreatePostgresConfigStoreOptions,
} from "./postgres_config_store.ts";
