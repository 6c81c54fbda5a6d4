import { isDefinedError as orpcIsDefinedError, safe as orpcSafe } from "@orpc/client";

/**
 * Awaits a client call and returns `{ error, data }` instead of throwing,
 * with the error typed from the contract's error map.
 *
 * @example
 * ```ts ignore
 * import { defineServices, safe } from "@netscript/sdk";
 * import { usersContract } from "./contracts/users.ts";
 *
 * const { clients } = defineServices({ users: { contract: usersContract } });
 * const { error, data } = await safe(clients.users.get({ id: "42" }));
 * ```
 */
export const safe: typeof orpcSafe = orpcSafe;

/**
 * Tells whether an error is one the contract declares (for example
 * `NOT_FOUND` from the common error map), narrowing it to that typed union.
 *
 * @example
 * ```ts ignore
 * import { defineServices, isDefinedError, safe } from "@netscript/sdk";
 * import { usersContract } from "./contracts/users.ts";
 *
 * const { clients } = defineServices({ users: { contract: usersContract } });
 * const { error } = await safe(clients.users.get({ id: "42" }));
 * if (isDefinedError(error) && error.code === "NOT_FOUND") console.log("no such user");
 * ```
 */
export const isDefinedError: typeof orpcIsDefinedError = orpcIsDefinedError;
