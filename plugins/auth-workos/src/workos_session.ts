/**
 * A WorkOS session as the auth port describes it: the verified access
 * token's claims and the user the sealed cookie holds.
 *
 * @module
 */
import type { AuthSession } from "@netscript/plugin-auth-core";
import type { AccessTokenClaims, User } from "@workos-inc/node";

/** The name the workos backend goes by, in `NETSCRIPT_AUTH_BACKEND` and on its sessions. */
export const WORKOS_BACKEND_NAME = "workos";

/**
 * Builds the session of a verified access token. Its id is the token's
 * `sid` (the WorkOS session, the same across refreshes); it began at
 * `auth_time` (when the user signed in) and ends at the token's `exp`
 * unless refreshed. Roles are the token's `roles`, else its one `role`;
 * scopes are its `permissions`.
 *
 * @param claims The access token's claims, verified.
 * @param user The user the cookie or the refresh answer holds, when known.
 * @returns The session.
 */
export function workosSession(claims: AccessTokenClaims, user: User | undefined): AuthSession {
  return {
    id: claims.sid,
    user: {
      id: claims.sub,
      email: user?.email ?? null,
      name: _name(user),
      roles: _strings(claims.roles) ?? (typeof claims.role === "string" ? [claims.role] : []),
    },
    backend: WORKOS_BACKEND_NAME,
    createdAt: new Date(claims.auth_time * 1000),
    expiresAt: new Date(claims.exp * 1000),
    scopes: _strings(claims.permissions) ?? [],
  };
}

/** The user's first and last name, else the name WorkOS holds, else `null`. */
function _name(user: User | undefined): string | null {
  if (user === undefined) return null;
  const parts = [user.firstName, user.lastName].filter((part) => typeof part === "string" && part);
  if (parts.length > 0) return parts.join(" ");
  return typeof user.name === "string" && user.name !== "" ? user.name : null;
}

/** A claim that must be a list of strings, or `undefined` when it is not one. */
function _strings(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((item) => typeof item === "string")
    ? [...value]
    : undefined;
}
