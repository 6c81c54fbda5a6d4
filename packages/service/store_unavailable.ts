/**
 * What a service answers when a handler fails because its store cannot be
 * used: the error's code says so (`STORE_UNAVAILABLE`, `SCHEMA_MISSING`
 * from `@netscript/contracts/errors`), whoever raised it. The answer names
 * the dependency the error declares (`details.dependency`, e.g. `job
 * store`) and never the store's address or credentials, which stay in the
 * service's log.
 *
 * @module
 */
import { isStoreError } from "@netscript/contracts/errors";

/** The public side of a store error: a message and the dependency it names. */
export interface StoreUnavailableAnswer {
  /** Says what is unavailable and what to do, without the store's address. */
  readonly message: string;
  /** What could not be used, e.g. `job store`; `store` when the error names nothing. */
  readonly dependency: string;
}

/**
 * Turns a store error into what a caller may see.
 *
 * @param error What a handler or health check threw.
 * @returns The answer, or `undefined` when `error` is not a store error.
 */
export function storeUnavailableAnswer(error: unknown): StoreUnavailableAnswer | undefined {
  if (!isStoreError(error)) return undefined;
  const named = error.details.dependency;
  const dependency = typeof named === "string" && named !== "" ? named : "store";
  const message = error.code === "SCHEMA_MISSING"
    ? `The ${dependency} is not set up yet; try again once its database is migrated`
    : `The ${dependency} cannot be reached; try again shortly`;
  return { message, dependency };
}
