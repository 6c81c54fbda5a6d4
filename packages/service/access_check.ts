/**
 * Enforcing access: what a procedure or a mount requires (its contract's
 * declaration, else the service's default for its method), and whether the
 * caller the guard found meets it.
 *
 * @module
 */
import { type Access, declaredAccess, type Principal } from "@netscript/contracts";
import { isNetScriptError } from "@netscript/contracts/errors";
import { ORPCError } from "@orpc/server";
import type { Guard } from "./guard.ts";
import type { PlainError } from "./plain_error.ts";
import { SAFE_METHODS } from "./request_guard.ts";

/**
 * What a procedure that declares no access requires, and what a mount
 * requires: `"public"` nothing; `"writes"` a session or service credential
 * for every method but `GET`, `HEAD` and `OPTIONS` (a browser's CORS
 * preflight never carries a cookie); `"all"` one for everything.
 */
export type DefaultAccess = "public" | "writes" | "all";

const PUBLIC: Access = Object.freeze({ kind: "public" });
const SESSION: Access = Object.freeze({ kind: "session", roles: [], scopes: [], services: true });

/**
 * What a request requires: the declared access, else the default for its method.
 *
 * @param declared What the route declares, if anything.
 * @param method The route's method (a procedure's `.route({ method })`, `POST` when unset).
 * @param fallback The service's or mount's default.
 * @returns The access required.
 */
export function requiredAccess(
  declared: Access | undefined,
  method: string,
  fallback: DefaultAccess,
): Access {
  if (declared !== undefined) return declared;
  if (fallback === "all" || (fallback === "writes" && !SAFE_METHODS.has(method.toUpperCase()))) {
    return SESSION;
  }
  return PUBLIC;
}

/** The outcome of {@linkcode checkAccess}: the caller, or the refusal to answer. */
export type AccessOutcome =
  | { readonly principal: Principal | undefined; readonly refusal?: undefined }
  | {
    readonly refusal: PlainError & { status: 401 | 403 | 503 };
    /** Why the caller could not be checked, for the log. */
    readonly cause?: unknown;
  };

/**
 * Checks a request against what it requires: public passes; otherwise the
 * guard must find a principal (401 without one, or without a guard at all),
 * a user must hold one of the roles and every scope (403), and a guard that
 * cannot reach `auth-api` is a 503.
 *
 * @param guard The service's guard, if it has one.
 * @param required What the request requires.
 * @param headers The request's headers.
 * @returns The principal, or the refusal.
 */
export async function checkAccess(
  guard: Guard | undefined,
  required: Access,
  headers: Headers,
): Promise<AccessOutcome> {
  if (required.kind === "public") return { principal: undefined };
  if (guard === undefined) {
    return {
      refusal: {
        status: 401,
        code: "UNAUTHORIZED",
        message:
          "This route requires a signed-in caller, and the service has no guard: add the auth plugin (netscript plugin add auth)",
      },
    };
  }
  let principal: Principal | null;
  try {
    principal = await guard.authenticate(headers);
  } catch (error) {
    if (!isNetScriptError(error) || error.code !== "SERVICE_AUTH_UNAVAILABLE") throw error;
    return {
      refusal: {
        status: 503,
        code: "SERVICE_UNAVAILABLE",
        message: "Sessions cannot be checked right now; try again shortly",
        data: { dependency: "auth-api" },
      },
      cause: error,
    };
  }
  if (principal === null) {
    return {
      refusal: {
        status: 401,
        code: "UNAUTHORIZED",
        message:
          "Sign in first: this request carries no valid session or service credential (sign in at auth-api's /auth/signin)",
      },
    };
  }
  if (principal.kind === "service" && !required.services) {
    return {
      refusal: {
        status: 403,
        code: "FORBIDDEN",
        message: "This route acts only for a signed-in user, not for a service credential",
      },
    };
  }
  if (principal.kind === "user") {
    const missingRole = required.roles.length > 0 &&
      !required.roles.some((role) => principal.user.roles.includes(role));
    const missingScopes = required.scopes.filter((scope) => !principal.scopes.includes(scope));
    if (missingRole || missingScopes.length > 0) {
      return {
        refusal: {
          status: 403,
          code: "FORBIDDEN",
          message: missingRole
            ? `This route requires one of the roles ${required.roles.join(", ")}`
            : `This route requires the scopes ${missingScopes.join(", ")}`,
        },
      };
    }
  }
  return { principal };
}

/** The options oRPC passes a procedure-client interceptor (the subset used here). */
interface AccessInterceptorOptions {
  context: { principal?: Principal | undefined; headers?: Headers };
  procedure: { "~orpc": { route: { method?: string; spec?: unknown } } };
  next: () => Promise<unknown>;
}

/**
 * Builds the interceptor that enforces access before a procedure's input
 * is validated: it puts the caller in `context.principal`, or throws the
 * refusal as an oRPC error (401 `UNAUTHORIZED`, 403 `FORBIDDEN`, 503
 * `SERVICE_UNAVAILABLE`).
 *
 * @param guard The service's guard, if it has one.
 * @param fallback The service's default access.
 * @returns An oRPC client interceptor.
 */
export function createAccessInterceptor(
  guard: Guard | undefined,
  fallback: DefaultAccess,
): (options: AccessInterceptorOptions) => Promise<unknown> {
  const cache = new WeakMap<object, Access>();
  return async ({ context, procedure, next }) => {
    let required = cache.get(procedure);
    if (required === undefined) {
      const route = procedure["~orpc"].route;
      required = requiredAccess(declaredAccess(route.spec), route.method ?? "POST", fallback);
      cache.set(procedure, required);
    }
    if (required.kind === "public") return await next();
    const outcome = await checkAccess(guard, required, context.headers ?? new Headers());
    if (outcome.refusal !== undefined) {
      const { status, code, message, data } = outcome.refusal;
      throw new ORPCError(code, { status, message, data, cause: outcome.cause });
    }
    context.principal = outcome.principal;
    return await next();
  };
}
