/**
 * Who may call a procedure, declared in the contract beside its route, so
 * the service that serves it enforces it and its OpenAPI document carries
 * it. A declaration is a route `spec` transform: it writes the operation's
 * `security` requirements into any OpenAPI document made from the contract,
 * and carries the requirement for `@netscript/service` to read.
 *
 * @module
 */

/** The name of the session cookie scheme in OpenAPI documents. */
export const SESSION_SCHEME = "session";

/** The name of the service credential scheme in OpenAPI documents. */
export const SERVICE_CREDENTIAL_SCHEME = "serviceCredential";

/** Who may call a procedure. */
export type Access =
  | { readonly kind: "public" }
  | {
    readonly kind: "session";
    /** The caller needs at least one of these roles; empty: any signed-in user. */
    readonly roles: readonly string[];
    /** The session needs every one of these scopes. */
    readonly scopes: readonly string[];
    /** Whether a workspace process with a service credential may call it too. */
    readonly services: boolean;
  };

/** A signed-in user, as the guard found their session. */
export interface PrincipalUser {
  /** The user's id at the identity provider. */
  readonly id: string;
  /** The user's email, when the provider gave one. */
  readonly email: string | null;
  /** The user's display name, when the provider gave one. */
  readonly name: string | null;
  /** The user's roles. */
  readonly roles: readonly string[];
}

/**
 * Who is calling a guarded procedure: a signed-in user (through their
 * session) or another process of the workspace (through a service
 * credential). Handlers find it as `context.principal`.
 */
export type Principal =
  | {
    readonly kind: "user";
    /** The session's id, as `auth-api` names it. */
    readonly sessionId: string;
    /** The user. */
    readonly user: PrincipalUser;
    /** The session's scopes. */
    readonly scopes: readonly string[];
    /** When the session ends. */
    readonly expiresAt: Date;
  }
  | {
    readonly kind: "service";
    /** The calling process's resource name, e.g. `trigger-processor`. */
    readonly service: string;
    /** When its credential ends. */
    readonly expiresAt: Date;
  };

/** An OpenAPI operation object, as a route `spec` transform receives and returns it. */
export type OperationObject = Record<string, unknown>;

/**
 * A route `spec` that declares access: a transform of the operation (it adds
 * `security`) carrying the {@linkcode Access} it declares.
 */
export interface AccessSpec {
  /**
   * Adds the access's security requirements to an operation.
   *
   * @param operation The operation oRPC built from the contract.
   * @returns The operation with `security`.
   */
  (operation: OperationObject): OperationObject;
  /** What the route declares. */
  readonly [ACCESS]: Access;
}

/** Where an {@linkcode AccessSpec} keeps its {@linkcode Access}. */
export const ACCESS: unique symbol = Symbol.for("netscript.access");

/** Options of {@linkcode access.session}. */
export interface SessionAccessOptions {
  /** The caller needs at least one of these roles (the user's roles from the identity provider). */
  readonly roles?: readonly string[];
  /** The caller's session needs every one of these scopes. */
  readonly scopes?: readonly string[];
  /**
   * Whether a workspace process with a service credential may call it.
   * A credential passes any roles and scopes, and every process of the
   * workspace holds the secret, so a route that must act only for a
   * signed-in user (never on behalf of whoever reached another service's
   * public route) says `false`.
   * @default {true}
   */
  readonly services?: boolean;
}

/**
 * Access declarations for a route's `spec`: `access.public()` (anyone,
 * even when the service is guarded) and `access.session({ roles, scopes })`
 * (a signed-in user, or another process of the workspace with a service
 * credential). A procedure that declares nothing follows its service's
 * `defaultAccess`.
 *
 * @example Declare who may call each procedure
 * ```ts
 * import { access, baseContract } from "@netscript/contracts";
 * import { z } from "zod";
 *
 * export const notesContract = {
 *   list: baseContract
 *     .route({ method: "GET", path: "/notes", spec: access.public() })
 *     .output(z.array(z.string())),
 *   remove: baseContract
 *     .route({ method: "DELETE", path: "/notes/{id}", spec: access.session({ roles: ["editor"] }) })
 *     .input(z.object({ id: z.string() })),
 * };
 * ```
 */
export const access: {
  /**
   * Anyone may call the procedure.
   *
   * @returns The route `spec`.
   */
  public(): AccessSpec;
  /**
   * A signed-in user (with one of `roles` and every one of `scopes`, when
   * given) or a workspace process with a service credential may call it.
   *
   * @param options The roles and scopes required.
   * @returns The route `spec`.
   */
  session(options?: SessionAccessOptions): AccessSpec;
} = {
  public: () => _spec({ kind: "public" }),
  session: (options = {}) =>
    _spec({
      kind: "session",
      roles: Object.freeze([...(options.roles ?? [])]),
      scopes: Object.freeze([...(options.scopes ?? [])]),
      services: options.services ?? true,
    }),
};

/**
 * The access a route declares in its `spec`, or `undefined` when it
 * declares none.
 *
 * @param spec A route's `spec`.
 * @returns The declared access.
 *
 * @example
 * ```ts
 * import { access, declaredAccess } from "@netscript/contracts";
 *
 * console.log(declaredAccess(access.session({ roles: ["admin"] }))?.kind); // "session"
 * console.log(declaredAccess(undefined)); // undefined
 * ```
 */
export function declaredAccess(spec: unknown): Access | undefined {
  return typeof spec === "function" && ACCESS in spec ? (spec as AccessSpec)[ACCESS] : undefined;
}

/**
 * The OpenAPI security requirements of an access: none (`[]`) for public,
 * else the session cookie (with the roles and scopes named) or, unless the
 * access says `services: false`, a service credential.
 *
 * @param required What the operation requires.
 * @returns The `security` of the operation.
 *
 * @example
 * ```ts
 * import { access, declaredAccess, securityRequirements } from "@netscript/contracts";
 *
 * console.log(securityRequirements(declaredAccess(access.session())!));
 * // [{ session: [] }, { serviceCredential: [] }]
 * ```
 */
export function securityRequirements(required: Access): Record<string, string[]>[] {
  if (required.kind === "public") return [];
  const named = [...required.roles, ...required.scopes];
  const session = { [SESSION_SCHEME]: named };
  return required.services ? [session, { [SERVICE_CREDENTIAL_SCHEME]: [] }] : [session];
}

function _spec(declared: Access): AccessSpec {
  const transform = (operation: OperationObject) => ({
    ...operation,
    security: securityRequirements(declared),
  });
  return Object.assign(transform, { [ACCESS]: Object.freeze(declared) }) as AccessSpec;
}
