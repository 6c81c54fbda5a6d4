/**
 * Version 1 of the `auth-api` contract: the caller's session, the
 * caller's own sessions, and revoking one of them. The sign-in itself
 * (`GET /auth/signin`, `GET /auth/callback`, `POST /auth/signout`) is a
 * browser redirect flow with cookies, served beside the contract, not an
 * RPC. Every answer is about the caller: no route reads or ends another
 * user's session.
 *
 * @example Read the caller's session with the typed client
 * ```ts ignore
 * import { createORPCClient } from "@orpc/client";
 * import { RPCLink } from "@orpc/client/fetch";
 * import type { ContractRouterClient } from "@orpc/contract";
 * import type { AuthContract } from "@netscript/plugin-auth-core/contract";
 *
 * const auth: ContractRouterClient<AuthContract> = createORPCClient(
 *   new RPCLink({ url: "http://localhost:8094/rpc", headers: { cookie: "netscript-session=…" } }),
 * );
 * console.log((await auth.session.get()).user.email);
 * ```
 *
 * @module
 */
import type { ContractProcedure, Schema } from "@orpc/contract";
import { baseContract, type CommonErrorMap } from "@netscript/contracts";
import { z } from "zod";

/** A signed-in user. */
export const AuthUserSchema: z.ZodObject<{
  id: z.ZodString;
  email: z.ZodNullable<z.ZodString>;
  name: z.ZodNullable<z.ZodString>;
  roles: z.ZodArray<z.ZodString>;
}> = z.object({
  id: z.string().describe("The identity provider's stable id for the user (OIDC sub)"),
  email: z.string().nullable(),
  name: z.string().nullable(),
  roles: z.array(z.string()).describe("The roles the provider grants"),
});

/** One session of the caller. */
export const SessionSchema: z.ZodObject<{
  id: z.ZodString;
  user: typeof AuthUserSchema;
  backend: z.ZodString;
  createdAt: z.ZodISODateTime;
  expiresAt: z.ZodISODateTime;
  scopes: z.ZodArray<z.ZodString>;
  current: z.ZodBoolean;
}> = z.object({
  id: z.string(),
  user: AuthUserSchema,
  backend: z.string().describe("The backend that made it: kv-oauth, workos or better-auth"),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
  scopes: z.array(z.string()),
  current: z.boolean().describe("true for the session this request carries"),
});

/** The caller's sessions. */
export const SessionListSchema: z.ZodObject<{ items: z.ZodArray<typeof SessionSchema> }> = z
  .object({ items: z.array(SessionSchema) });

/** A session id in the path. */
export const SessionIdSchema: z.ZodObject<{ id: z.ZodString }> = z.object({
  id: z.string().min(1).max(200),
});

/** The answer to a revoke. */
export const RevokedSchema: z.ZodObject<{ id: z.ZodString; revoked: z.ZodLiteral<true> }> = z
  .object({ id: z.string(), revoked: z.literal(true) });

/** The shape of {@linkcode authContract}. */
export type AuthContract = {
  /** The caller's session. */
  readonly session: {
    /** `GET /api/session`: the caller's user and session; 401 without one. */
    readonly get: ContractProcedure<
      Schema<unknown, unknown>,
      typeof SessionSchema,
      CommonErrorMap,
      Record<never, never>
    >;
  };
  /** The caller's own sessions. */
  readonly sessions: {
    /** `GET /api/sessions`: every session of the caller, newest first. */
    readonly list: ContractProcedure<
      Schema<unknown, unknown>,
      typeof SessionListSchema,
      CommonErrorMap,
      Record<never, never>
    >;
    /** `DELETE /api/sessions/{id}`: ends one of the caller's sessions; 404 for any other id. */
    readonly revoke: ContractProcedure<
      typeof SessionIdSchema,
      typeof RevokedSchema,
      CommonErrorMap,
      Record<never, never>
    >;
  };
};

const tags = ["sessions"];

/** The `auth-api` contract, version 1. */
export const authContract: AuthContract = {
  session: {
    get: baseContract
      .route({
        method: "GET",
        path: "/session",
        summary: "The caller's session",
        description:
          "The signed-in user and the session the request carries (its cookie or bearer credential); 401 UNAUTHORIZED without a valid one.",
        tags,
      })
      .output(SessionSchema),
  },
  sessions: {
    list: baseContract
      .route({
        method: "GET",
        path: "/sessions",
        summary: "The caller's sessions",
        description:
          "Every session of the signed-in user that has not ended, newest first; 401 without a session.",
        tags,
      })
      .output(SessionListSchema),
    revoke: baseContract
      .route({
        method: "DELETE",
        path: "/sessions/{id}",
        summary: "End one of the caller's sessions",
        description:
          "Ends the session at once for every service. Only the caller's own sessions can be ended: any other id, including another user's session, is 404 NOT_FOUND.",
        tags,
      })
      .input(SessionIdSchema)
      .output(RevokedSchema),
  },
};
