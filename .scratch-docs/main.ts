import { paginate } from "@netscript/contracts";
import { createService, implement } from "@netscript/service";
import { type Note, notesContract } from "./contracts/notes.ts";

const notes: Note[] = [{ id: "1", title: "Welcome", body: "Your first note" }];

const os = implement(notesContract);

const router = os.router({
  list: os.list.handler(({ input }) => paginate(notes, input)),
  get: os.get.handler(({ input, errors }) => {
    const note = notes.find((n) => n.id === input.id);
    if (!note) throw errors.NOT_FOUND({ data: { resource: "note", id: input.id } });
    return note;
  }),
  create: os.create.handler(({ input }) => {
    const note = { id: String(notes.length + 1), ...input };
    notes.push(note);
    return note;
  }),
});

const service = createService({
  name: "notes",
  version: "1.0.0",
  contract: notesContract,
  router,
  healthChecks: {
    storage: () => notes !== undefined,
  },
});

service.serve();
