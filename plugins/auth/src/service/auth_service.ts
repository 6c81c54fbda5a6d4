/**
 * `auth-api`: the sign-in redirect flow and the caller's sessions, over
 * one auth backend.
 *
 * @module
 */
import { isNetScriptError } from "@netscript/contracts/errors";
import {
  type AuthBackendPort,
  type AuthErrorCode,
  type AuthSession,
  safeRedirectPath,
} from "@netscript/plugin-auth-core";
import { authContract, type SessionSchema } from "@netscript/plugin-auth-core/contract";
import {
  createRevocationHub,
  createService,
  implement,
  plainErrorResponse,
  refuseCrossSite,
  REVOCATION_FEED_PATH,
  type RevocationHub,
  type Service,
  type ServiceContext,
} from "@netscript/service";
import { createLogger, type Logger } from "@netscript/telemetry";
import { ORPCError } from "@orpc/server";
import type { z } from "zod";

/** Where the sign-in flow is served, beside the contract. */
export const AUTH_FLOW_PATH = "/auth/";

/** Options of {@linkcode createAuthService}. */
export interface AuthServiceOptions {
  /** The auth backend. */
  readonly backend: AuthBackendPort;
  /**
   * The logger for request lines and failures.
   * @default {a JSON logger for the service "auth-api"}
   */
  readonly logger?: Logger | undefined;
  /**
   * The workspace's service secret (`serviceSecretKey` of
   * `NETSCRIPT_SERVICE_SECRET`): guarded services subscribe to the
   * revocation feed with a credential made from it. Without it, none can,
   * and they check every session with `auth-api`.
   */
  readonly serviceSecret?: Uint8Array | undefined;
  /**
   * How long a sign-out or revoke waits for every subscribed service to
   * forget the session, in milliseconds.
   * @default {2000}
   */
  readonly revocationAckTimeoutMs?: number;
}

/** `auth-api`: the service, and the revocation feed it tells guarded services about ended sessions on. */
export interface AuthService extends Service {
  /** The revocation feed's hub. */
  readonly revocations: RevocationHub;
}

/** The routes of the sign-in flow under {@linkcode AUTH_FLOW_PATH}, and the method each takes. */
const FLOW_ROUTES: Readonly<Record<string, "GET" | "POST">> = {
  signin: "GET",
  callback: "GET",
  signout: "POST",
  refresh: "POST",
};

/**
 * Creates `auth-api` over a backend: `GET /auth/signin?redirectTo=`
 * (a redirect to the provider), `GET /auth/callback`, `POST
 * /auth/signout`, `POST /auth/refresh` (the session refreshed with the
 * provider, its cookie renewed), and the contract's `GET /api/session`, `GET
 * /api/sessions` and `DELETE /api/sessions/{id}`, all about the caller's
 * own session. Refusals are 4xx with a code: `AUTH_REDIRECT_INVALID` and
 * `AUTH_CALLBACK_INVALID` 400, `AUTH_OPERATION_UNSUPPORTED` 404 (a backend
 * without that operation), `UNAUTHORIZED` 401 without a session,
 * `NOT_FOUND` 404 for a session that is not the caller's; a provider that
 * cannot be reached is 503 `AUTH_PROVIDER_UNAVAILABLE`. Guarded services
 * subscribe to `GET /auth/revocations` (a WebSocket, with a service
 * credential); a sign-out, a revoke, a refresh the provider refused and a
 * new sign-in that replaces the browser's session are answered only once
 * each of them has forgotten the session that ended.
 *
 * @param options The backend and a logger.
 * @returns The service; call `serve()`.
 *
 * @example
 * ```ts ignore
 * import { openAuthBackend, createAuthService } from "@netscript/plugin-auth";
 * import { processEnv } from "@netscript/store";
 * import { createLogger } from "@netscript/telemetry";
 *
 * const logger = createLogger({ service: "auth-api" });
 * const service = createAuthService({ backend: await openAuthBackend(processEnv, logger), logger });
 * await service.serve({ port: 8094 }).finished;
 * ```
 */
export function createAuthService(options: AuthServiceOptions): AuthService {
  const { backend } = options;
  const logger = options.logger ?? createLogger({ service: "auth-api" });
  const revocations = createRevocationHub({
    serviceSecret: options.serviceSecret,
    logger,
    ...(options.revocationAckTimeoutMs === undefined
      ? {}
      : { ackTimeoutMs: options.revocationAckTimeoutMs }),
  });
  const os = implement(authContract).$context<ServiceContext>();
  const caller = async (context: ServiceContext): Promise<AuthSession> => {
    const session = await backend.session(_request(context));
    if (session === null) {
      throw new ORPCError("UNAUTHORIZED", {
        message: "Sign in first: this request carries no valid session",
      });
    }
    return session;
  };
  const router = os.router({
    session: {
      get: os.session.get.handler(async ({ context }) => {
        const session = await caller(context);
        return _view(session, session.id);
      }),
    },
    sessions: {
      list: os.sessions.list.handler(async ({ context }) => {
        const session = await caller(context);
        const sessions = backend.capabilities.has("manage-sessions")
          ? await backend.listSessions(session.user.id)
          : [session];
        return { items: sessions.map((each) => _view(each, session.id)) };
      }),
      revoke: os.sessions.revoke.handler(async ({ input, context }) => {
        const session = await caller(context);
        if (!backend.capabilities.has("manage-sessions")) {
          throw new ORPCError("FORBIDDEN", {
            message:
              `The ${backend.name} auth backend cannot end sessions by id (AUTH_OPERATION_UNSUPPORTED): sign out with POST /auth/signout, or end the session at the provider`,
          });
        }
        if (!await backend.revokeSession(session.user.id, input.id)) {
          throw new ORPCError("NOT_FOUND", {
            message: `You have no session ${JSON.stringify(input.id)}`,
          });
        }
        await revocations.publish([input.id]);
        return { id: input.id, revoked: true as const };
      }),
    },
  });
  const service = createService({
    name: "auth-api",
    version: "1.0.0",
    description:
      "Sign-in and sessions: the redirect flow to the identity provider, the caller's session and sessions, and revoking one of them.",
    contract: authContract,
    router,
    currentVersion: "v1",
    mounts: [{
      prefix: AUTH_FLOW_PATH,
      fetch: (request) => _flow(backend, revocations, request, logger),
    }],
    guard: null,
    logger,
  });
  return Object.assign(service, { revocations });
}

/** The request a handler's context describes, for the backend to read its cookie. */
function _request(context: ServiceContext): Request {
  return new Request(context.url, { headers: context.headers });
}

/** A session as the contract returns it. */
function _view(session: AuthSession, current: string): z.input<typeof SessionSchema> {
  return {
    id: session.id,
    user: {
      id: session.user.id,
      email: session.user.email,
      name: session.user.name,
      roles: [...session.user.roles],
    },
    backend: session.backend,
    createdAt: session.createdAt.toISOString(),
    expiresAt: session.expiresAt.toISOString(),
    scopes: [...session.scopes],
    current: session.id === current,
  };
}

/** The sign-in flow's routes, and the revocation feed. */
async function _flow(
  backend: AuthBackendPort,
  revocations: RevocationHub,
  request: Request,
  logger: Logger,
) {
  const path = new URL(request.url).pathname;
  if (path === REVOCATION_FEED_PATH) {
    if (request.method !== "GET") {
      return plainErrorResponse(
        { status: 405, code: "METHOD_NOT_ALLOWED", message: `${path} takes GET` },
        { allow: "GET" },
      );
    }
    return revocations.accept(request);
  }
  const route = path.slice(AUTH_FLOW_PATH.length);
  const method = Object.hasOwn(FLOW_ROUTES, route) ? FLOW_ROUTES[route] : undefined;
  if (method === undefined) {
    return plainErrorResponse({
      status: 404,
      code: "NOT_FOUND",
      message: `No route ${AUTH_FLOW_PATH}${route.slice(0, 100)}: use ${
        Object.keys(FLOW_ROUTES).map((name) => AUTH_FLOW_PATH + name).join(", ")
      }`,
    });
  }
  if (request.method !== method) {
    return plainErrorResponse(
      {
        status: 405,
        code: "METHOD_NOT_ALLOWED",
        message: `${AUTH_FLOW_PATH}${route} takes ${method}`,
      },
      { allow: method },
    );
  }
  const refusal = refuseCrossSite(request);
  if (refusal !== undefined) return plainErrorResponse(refusal);
  try {
    if (route === "signin") {
      const redirectTo = safeRedirectPath(new URL(request.url).searchParams.get("redirectTo"));
      return await backend.signIn(request, { redirectTo });
    }
    const current = await backend.session(request);
    const response = route === "callback"
      ? await backend.callback(request)
      : route === "refresh"
      ? await _refresh(backend, request)
      : await backend.signOut(request);
    /** A new sign-in replaces the browser's session; a refused refresh ends it. */
    const ended = route === "signout" || (route === "callback" && response.status < 400) ||
      (route === "refresh" && response.status === 401);
    if (ended && current !== null) await revocations.publish([current.id]);
    return response;
  } catch (error) {
    const status = _status(error);
    if (status === undefined || !isNetScriptError(error)) throw error;
    if (status === 503) logger.warn("the identity provider cannot be reached", { error });
    return plainErrorResponse({ status, code: error.code, message: error.message });
  }
}

/** Refreshes the caller's session: its view, with the renewed cookies; 401 without one. */
async function _refresh(backend: AuthBackendPort, request: Request): Promise<Response> {
  const refreshed = await backend.refresh(request);
  if (refreshed === null) {
    return plainErrorResponse({
      status: 401,
      code: "UNAUTHORIZED",
      message: "Sign in again: this request carries no session the provider still honours",
    });
  }
  const headers = new Headers({ "content-type": "application/json; charset=utf-8" });
  for (const cookie of refreshed.setCookies) headers.append("set-cookie", cookie);
  return new Response(JSON.stringify(_view(refreshed.session, refreshed.session.id)), {
    headers,
  });
}

/** The HTTP status of an auth error of the flow, or `undefined` for any other error. */
function _status(error: unknown): number | undefined {
  const statuses: Partial<Record<AuthErrorCode, number>> = {
    AUTH_REDIRECT_INVALID: 400,
    AUTH_CALLBACK_INVALID: 400,
    AUTH_OPERATION_UNSUPPORTED: 404,
    AUTH_PROVIDER_UNAVAILABLE: 503,
  };
  return isNetScriptError<AuthErrorCode>(error) ? statuses[error.code] : undefined;
}
