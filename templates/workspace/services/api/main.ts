/**
 * The app's service: implements `apiContract` and serves it on port 3000
 * (or `PORT`). Notes live in memory until you give the app a database.
 *
 * @module
 */
import { paginate } from "@netscript/contracts";
import { createService, implement } from "@netscript/service";
import type { z } from "zod";
import { apiContract, type Note } from "../../contracts/mod.ts";

const notes: z.infer<typeof Note>[] = [];
const os = implement(apiContract);

/** The router: one handler per procedure of the contract. */
export const router = os.router({
  notes: {
    list: os.notes.list.handler(({ input }) => paginate(notes, input)),
    get: os.notes.get.handler(({ input, errors }) => {
      const note = notes.find((n) => n.id === input.id);
      if (!note) throw errors.NOT_FOUND({ data: { resource: "note", id: input.id } });
      return note;
    }),
    create: os.notes.create.handler(({ input }) => {
      const note = {
        id: crypto.randomUUID(),
        text: input.text,
        createdAt: new Date().toISOString(),
      };
      notes.push(note);
      return note;
    }),
  },
});

/** The service: RPC, REST, OpenAPI, docs and health on one port. */
export const service = createService({
  name: "api",
  version: "0.1.0",
  contract: apiContract,
  router,
});

if (import.meta.main) service.serve();
