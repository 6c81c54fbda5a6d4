import { type ContractBuilder, oc, type Schema } from "@orpc/contract";
import { COMMON_ERRORS, type CommonErrorMap } from "./common_errors.ts";

/** The type of {@linkcode baseContract}: oRPC's builder with the common error map. */
export type BaseContractBuilder = ContractBuilder<
  Schema<unknown, unknown>,
  Schema<unknown, unknown>,
  CommonErrorMap,
  Record<never, never>
>;

/**
 * The oRPC contract builder pre-loaded with {@linkcode COMMON_ERRORS}. Start
 * every procedure from it so that clients see the common errors typed.
 *
 * @example A contract with one REST-routed procedure
 * ```ts
 * import { baseContract, OffsetPaginationQuerySchema } from "@netscript/contracts";
 * import { z } from "zod";
 *
 * export const usersContract = {
 *   list: baseContract
 *     .route({ method: "GET", path: "/users" })
 *     .input(OffsetPaginationQuerySchema)
 *     .output(z.array(z.object({ id: z.string(), name: z.string() }))),
 * };
 * ```
 */
export const baseContract: BaseContractBuilder = oc.errors(COMMON_ERRORS);
