/**
 * Serves the app's service on port 3000 (or `PORT`). The typed client `@db`
 * does not support SQL Server yet, so the notes live in memory: give
 * `createApiService` a store of your own (see `notes_store.ts`).
 *
 * @module
 */
import { createMemoryNotesStore } from "./memory_notes_store.ts";
import { createApiService } from "./service.ts";

/** The app's service, with its notes in memory. */
export const service = createApiService({ notes: createMemoryNotesStore() });

if (import.meta.main) service.serve();
