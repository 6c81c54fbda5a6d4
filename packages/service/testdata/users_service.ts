/**
 * A small users service used by the service tests: REST-routed procedures,
 * one that throws an unexpected error, one that returns an invalid output,
 * and one that takes a while.
 *
 * @module
 */
import {
  baseContract,
  OffsetPaginationQuerySchema,
  paginate,
  paginatedSchema,
} from "@netscript/contracts";
import type { Logger } from "@netscript/telemetry";
import { z } from "zod";
import { createService, type CreateServiceOptions, implement, type Service } from "../mod.ts";

export const User = z.object({ id: z.string(), name: z.string().min(1), age: z.number().int() });

export const usersContract = {
  users: {
    list: baseContract
      .route({ method: "GET", path: "/users", summary: "List users" })
      .input(OffsetPaginationQuerySchema)
      .output(paginatedSchema(User)),
    get: baseContract
      .route({ method: "GET", path: "/users/{id}", summary: "Get a user" })
      .input(z.object({ id: z.string() }))
      .output(User),
    create: baseContract
      .route({ method: "POST", path: "/users", summary: "Create a user" })
      .input(User.omit({ id: true }))
      .output(User),
  },
  fail: baseContract.route({ method: "GET", path: "/fail" }).output(z.object({})),
  badOutput: baseContract.route({ method: "GET", path: "/bad-output" }).output(User),
  slow: baseContract
    .route({ method: "GET", path: "/slow" })
    .input(z.object({ ms: z.coerce.number<number | string>().int().min(0) }))
    .output(z.object({ waited: z.number() })),
};

export function createUsersService(
  overrides: Partial<CreateServiceOptions<typeof usersContract>> & { logger?: Logger } = {},
): Service {
  const users = [
    { id: "1", name: "Ada", age: 36 },
    { id: "2", name: "Grace", age: 45 },
  ];
  const os = implement(usersContract);
  const router = os.router({
    users: {
      list: os.users.list.handler(({ input }) => paginate(users, input)),
      get: os.users.get.handler(({ input, errors }) => {
        const user = users.find((u) => u.id === input.id);
        if (!user) throw errors.NOT_FOUND({ data: { resource: "user", id: input.id } });
        return user;
      }),
      create: os.users.create.handler(({ input }) => {
        const user = { id: String(users.length + 1), ...input };
        users.push(user);
        return user;
      }),
    },
    fail: os.fail.handler(() => {
      throw new Error("database password is hunter2");
    }),
    badOutput: os.badOutput.handler(() => ({ id: "x" }) as unknown as z.infer<typeof User>),
    slow: os.slow.handler(async ({ input, signal }) => {
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => {
          clearTimeout(timer);
          reject(signal?.reason);
        };
        const timer = setTimeout(() => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        }, input.ms);
        signal?.addEventListener("abort", onAbort, { once: true });
      });
      return { waited: input.ms };
    }),
  });
  return createService({
    name: "users",
    version: "1.2.3",
    contract: usersContract,
    router,
    ...overrides,
  });
}
