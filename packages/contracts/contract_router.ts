import type { AnyContractRouter } from "@orpc/contract";

/** Whether a value is an oRPC contract procedure. */
function _isProcedure(value: unknown): boolean {
  const orpc = (value as { "~orpc"?: unknown } | null)?.["~orpc"];
  return typeof orpc === "object" && orpc !== null && "errorMap" in orpc;
}

/**
 * Whether a value is a contract router: a contract procedure, or a
 * non-empty object whose every value is a router. It tells a module's
 * contract apart from the schemas and helpers the module also exports.
 *
 * @param value Anything, e.g. one export of a contract module.
 * @returns Whether it is a contract router.
 *
 * @example
 * ```ts
 * import { baseContract, isContractRouter } from "@netscript/contracts";
 * import { z } from "zod";
 *
 * const contract = { ping: baseContract.output(z.string()) };
 * console.log(isContractRouter(contract), isContractRouter(z.string())); // true false
 * ```
 */
export function isContractRouter(value: unknown): value is AnyContractRouter {
  if (_isProcedure(value)) return true;
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const children = Object.values(value);
  return children.length > 0 && children.every(isContractRouter);
}
