/**
 * The app's service: implements `apiContract` on a {@linkcode NotesStore}.
 * `main.ts` serves it on port 3000 (or `PORT`) with the notes in the
 * database; `service_test.ts` calls it in-process with the notes in memory.
 *
 * @module
 */
import { createService, implement, type Service } from "@netscript/service";
import type { Logger } from "@netscript/telemetry";
import { apiContract } from "../../contracts/mod.ts";
import type { NotesStore } from "./notes_store.ts";

/** Options of {@linkcode createApiService}. */
export interface CreateApiServiceOptions {
  /** Where the notes live. */
  notes: NotesStore;
  /**
   * Where request lines and failures go.
   * @default {JSON lines on stdout and stderr}
   */
  logger?: Logger;
}

/**
 * Creates the app's service: RPC, REST, OpenAPI, docs and health on one port.
 * With the auth plugin installed, its writes need a signed-in user or a
 * service credential; its reads stay public.
 *
 * @param options The notes store and, optionally, a logger.
 * @returns The service; call `serve()` to listen, or `fetch()` to call it in-process.
 */
export function createApiService(options: CreateApiServiceOptions): Service {
  const { notes, logger } = options;
  const os = implement(apiContract);
  const router = os.router({
    notes: {
      list: os.notes.list.handler(async ({ input }) => ({
        ...(await notes.list(input)),
        limit: input.limit,
        offset: input.offset,
      })),
      get: os.notes.get.handler(async ({ input, errors }) => {
        const note = await notes.get(input.id);
        if (!note) throw errors.NOT_FOUND({ data: { resource: "note", id: input.id } });
        return note;
      }),
      create: os.notes.create.handler(({ input }) => notes.create(input.text)),
    },
  });
  return createService({
    name: "api",
    version: "0.1.0",
    contract: apiContract,
    router,
    healthChecks: { database: () => notes.ping() },
    // Once the auth plugin is added, creating a note needs a signed-in user.
    defaultAccess: "writes",
    logger,
  });
}
