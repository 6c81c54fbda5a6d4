/**
 * The sample todos service: the contract implemented over an in-memory list.
 *
 * @module
 */
import { paginate } from "@netscript/contracts";
import {
  createService,
  type CreateServiceOptions,
  implement,
  type Service,
} from "@netscript/service";
import type { z } from "zod";
import { type Todo, todosContract } from "./contract.ts";

/** Options of {@linkcode createTodosService}: any service option but the contract and router. */
export type TodosServiceOptions = Omit<
  CreateServiceOptions<typeof todosContract>,
  "name" | "contract" | "router"
>;

/**
 * Creates the todos service with a few sample items.
 *
 * @param options Service options such as health checks or a logger.
 * @returns The service, ready to `serve()`.
 */
export function createTodosService(options: TodosServiceOptions = {}): Service {
  const todos: z.infer<typeof Todo>[] = [
    { id: "1", title: "Write the contract", done: true },
    { id: "2", title: "Implement the service", done: true },
    { id: "3", title: "Call it with the typed client", done: false },
  ];
  const os = implement(todosContract);
  const router = os.router({
    todos: {
      list: os.todos.list.handler(({ input }) =>
        paginate(
          input.done === undefined ? todos : todos.filter((t) => t.done === input.done),
          input,
        )
      ),
      get: os.todos.get.handler(({ input, errors }) => {
        const todo = todos.find((t) => t.id === input.id);
        if (!todo) throw errors.NOT_FOUND({ data: { resource: "todo", id: input.id } });
        return todo;
      }),
      create: os.todos.create.handler(({ input }) => {
        const todo = { id: String(todos.length + 1), title: input.title, done: false };
        todos.push(todo);
        return todo;
      }),
      complete: os.todos.complete.handler(({ input, errors }) => {
        const todo = todos.find((t) => t.id === input.id);
        if (!todo) throw errors.NOT_FOUND({ data: { resource: "todo", id: input.id } });
        todo.done = true;
        return todo;
      }),
    },
  });
  return createService({
    name: "todos",
    version: "1.0.0",
    description: "A sample NetScript service keeping todos in memory.",
    contract: todosContract,
    router,
    ...options,
  });
}
