/**
 * The user an ID token (and the provider's user info) describes.
 *
 * @module
 */
import type { AuthUser } from "@netscript/plugin-auth-core";

/**
 * Reads the user from validated claims: `sub`, `email` and `name` when
 * they are strings, and `roles` from a `roles` claim (a list of strings,
 * or one string) when there is one.
 *
 * @param claims The claims.
 * @returns The user.
 */
export function userFromClaims(claims: Readonly<Record<string, unknown>>): AuthUser {
  const roles = claims.roles;
  return {
    id: String(claims.sub),
    email: typeof claims.email === "string" ? claims.email : null,
    name: typeof claims.name === "string" ? claims.name : null,
    roles: Array.isArray(roles)
      ? roles.filter((role): role is string => typeof role === "string")
      : typeof roles === "string"
      ? [roles]
      : [],
  };
}
