import { baseContract, OffsetPaginationQuerySchema, paginatedSchema } from "@netscript/contracts";
import { z } from "zod";

/** One note, as the API returns it. */
export const NoteSchema = z.object({
  id: z.string(),
  title: z.string(),
  body: z.string(),
});

/** A note. */
export type Note = z.infer<typeof NoteSchema>;

/** The notes service: three procedures, each with a REST route. */
export const notesContract = {
  list: baseContract
    .route({ method: "GET", path: "/notes", summary: "List notes" })
    .input(OffsetPaginationQuerySchema)
    .output(paginatedSchema(NoteSchema)),
  get: baseContract
    .route({ method: "GET", path: "/notes/{id}", summary: "Get one note" })
    .input(z.object({ id: z.string() }))
    .output(NoteSchema),
  create: baseContract
    .route({ method: "POST", path: "/notes", successStatus: 201, summary: "Create a note" })
    .input(z.object({ title: z.string().min(1), body: z.string().default("") }))
    .output(NoteSchema),
};
