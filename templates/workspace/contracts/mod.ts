/**
 * The contracts of {{name}}: the single definition of each API, from which the
 * typed client, the REST routes, the OpenAPI document and the traces derive.
 *
 * @module
 */
import { baseContract, OffsetPaginationQuerySchema, paginatedSchema } from "@netscript/contracts";
import { z } from "zod";

/** A note. */
export const Note = z.object({
  id: z.string(),
  text: z.string().min(1).max(500),
  createdAt: z.iso.datetime(),
});

/** The app's API, served by `services/api/main.ts`. */
export const apiContract = {
  notes: {
    list: baseContract
      .route({ method: "GET", path: "/notes", summary: "List notes", tags: ["notes"] })
      .input(OffsetPaginationQuerySchema)
      .output(paginatedSchema(Note)),
    get: baseContract
      .route({ method: "GET", path: "/notes/{id}", summary: "Get a note", tags: ["notes"] })
      .input(z.object({ id: z.string() }))
      .output(Note),
    create: baseContract
      .route({
        method: "POST",
        path: "/notes",
        summary: "Create a note",
        successStatus: 201,
        tags: ["notes"],
      })
      .input(Note.pick({ text: true }))
      .output(Note),
  },
};
