/**
 * The PostgreSQL stream store, for production: streams live in the
 * `streams_streams` and `streams_chunks` tables, any number of processes
 * share them, and a commit wakes long-polls and SSE readers in every
 * process through `NOTIFY streams_changes`. Create the tables with
 * `netscript db migrate` (the schema fragment is `streams.prisma`, beside
 * this module).
 *
 * @example
 * ```ts ignore
 * import { createPostgresStreamStore } from "@netscript/plugin-streams-core/postgres";
 *
 * const store = await createPostgresStreamStore(); // DATABASE_URL
 * console.log(await store.get("/v1/stream/orders"));
 * await store.close();
 * ```
 *
 * @module
 */
export {
  createPostgresStreamStore,
  type CreatePostgresStreamStoreOptions,
} from "./postgres_stream_store.ts";
