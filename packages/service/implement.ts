import { implement as orpcImplement } from "@orpc/server";

/**
 * Starts implementing a contract: returns oRPC's implementer, whose
 * procedures take `.handler()` (and middleware) and whose `.router()` gathers
 * them into the router `createService` serves. Inputs, outputs and the
 * `errors` factory of each handler are typed from the contract.
 *
 * @param contract The contract router.
 * @returns The implementer.
 *
 * @example
 * ```ts
 * import { baseContract } from "@netscript/contracts";
 * import { implement } from "@netscript/service";
 * import { z } from "zod";
 *
 * const contract = {
 *   get: baseContract
 *     .route({ method: "GET", path: "/users/{id}" })
 *     .input(z.object({ id: z.string() }))
 *     .output(z.object({ id: z.string() })),
 * };
 * const os = implement(contract);
 * export const router = os.router({
 *   get: os.get.handler(({ input, errors }) => {
 *     if (input.id === "0") throw errors.NOT_FOUND({ data: { resource: "user", id: input.id } });
 *     return { id: input.id };
 *   }),
 * });
 * ```
 */
export const implement: typeof orpcImplement = orpcImplement;
