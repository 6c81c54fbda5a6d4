/**
 * Serves the app's service on port 3000 (or `PORT`), with its notes in the
 * workspace's database through `@db` (`DATABASE_URL` selects it).
 *
 * @module
 */
import { db } from "@db";
import { createDbNotesStore } from "./db_notes_store.ts";
import { createApiService } from "./service.ts";

/** The app's service, on the database. */
export const service = createApiService({ notes: createDbNotesStore(db) });

if (import.meta.main) {
  await service.serve().finished;
  await db.$disconnect();
}
