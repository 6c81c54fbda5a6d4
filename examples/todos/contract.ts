/**
 * The contract of the sample todos service: the single definition the
 * typed client, the REST routes, the OpenAPI document and the spans come from.
 *
 * @module
 */
import { baseContract, OffsetPaginationQuerySchema, paginatedSchema } from "@netscript/contracts";
import { z } from "zod";

/** A todo item. */
export const Todo = z.object({
  id: z.string(),
  title: z.string().min(1).max(200),
  done: z.boolean(),
});

/** The todos API, version 1. */
export const todosContract = {
  todos: {
    list: baseContract
      .route({ method: "GET", path: "/todos", summary: "List todos", tags: ["todos"] })
      .input(OffsetPaginationQuerySchema.extend({ done: z.boolean().optional() }))
      .output(paginatedSchema(Todo)),
    get: baseContract
      .route({ method: "GET", path: "/todos/{id}", summary: "Get a todo", tags: ["todos"] })
      .input(z.object({ id: z.string() }))
      .output(Todo),
    create: baseContract
      .route({
        method: "POST",
        path: "/todos",
        summary: "Create a todo",
        successStatus: 201,
        tags: ["todos"],
      })
      .input(Todo.pick({ title: true }))
      .output(Todo),
    complete: baseContract
      .route({
        method: "POST",
        path: "/todos/{id}/complete",
        summary: "Mark a todo done",
        tags: ["todos"],
      })
      .input(z.object({ id: z.string() }))
      .output(Todo),
  },
};
