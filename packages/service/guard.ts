/**
 * The guard: who is calling. A request proves itself with a session cookie
 * (checked with `auth-api`, the auth plugin's service) or, from another
 * process of the workspace, with a service credential (an HS256 JWT signed
 * with the workspace's secret, checked here). Sessions checked with
 * `auth-api` are kept in memory while the revocation feed is connected, so
 * a repeated request costs a map lookup, and a session ended through
 * `auth-api` is forgotten before the sign-out or revoke is answered.
 *
 * @module
 */
import type { Principal } from "@netscript/contracts";
import {
  looksLikeServiceCredential,
  mintServiceCredential,
  processVariable,
  SERVICE_SECRET_VARIABLE,
  serviceSecretKey,
  verifyServiceCredential,
} from "@netscript/contracts/credential";
import { NetScriptError } from "@netscript/contracts/errors";
import { createLogger, type Logger } from "@netscript/telemetry";
import { z } from "zod";
import { subscribeToRevocations } from "./revocation_subscription.ts";
import { SessionMemory, type UserPrincipal } from "./session_memory.ts";
import type { ServiceErrorCode } from "./service_error_codes.ts";

/** The resource name of the auth plugin's service. */
export const AUTH_API = "auth-api";

/** Finds out who is calling a guarded service; see the module. */
export interface Guard {
  /**
   * Who sent a request: a user through their session, a workspace process
   * through its service credential, or nobody (`null`).
   *
   * @param headers The request's headers (`cookie`, `authorization`).
   * @returns The principal, or `null` without a valid session or credential.
   * @throws {NetScriptError} `SERVICE_AUTH_UNAVAILABLE` when `auth-api` cannot be asked.
   */
  authenticate(headers: Headers): Promise<Principal | null>;
  /**
   * Ends the revocation feed subscription for good; the guard then checks
   * every session with `auth-api` and never subscribes again.
   */
  close(): void;
}

/** Options of {@linkcode createGuard}. */
export interface GuardOptions {
  /** The base URL of `auth-api`, e.g. `http://localhost:8094`. */
  readonly authUrl: string;
  /**
   * The workspace's secret (see `serviceSecretKey`): with it the guard
   * accepts service credentials and subscribes to the revocation feed;
   * without it, neither.
   */
  readonly serviceSecret?: Uint8Array | undefined;
  /**
   * The name the guard's own credential carries (its process's resource name).
   * @default {"netscript"}
   */
  readonly subject?: string;
  /**
   * How long a checked session is kept in memory, in milliseconds; `0`
   * checks every request with `auth-api`. A session ended through
   * `auth-api` is forgotten at once; one ended at the provider (a WorkOS
   * or better-auth sign-out elsewhere) is kept up to this long.
   * @default {30000}
   */
  readonly cacheTtlMs?: number;
  /**
   * The most sessions kept in memory; the oldest go first. `0` keeps none,
   * like a `cacheTtlMs` of `0`.
   * @default {10000}
   */
  readonly maxCachedSessions?: number;
  /**
   * How `auth-api` is called.
   * @default {globalThis.fetch}
   */
  readonly fetch?: (request: Request) => Promise<Response>;
  /**
   * How long a session check with `auth-api` may take, in milliseconds.
   * @default {5000}
   */
  readonly timeoutMs?: number;
  /**
   * Where the revocation feed's state is logged. A failed session check is
   * not logged here: it is raised as `SERVICE_AUTH_UNAVAILABLE`.
   */
  readonly logger?: Logger;
}

/** The part of `auth-api`'s session answer the guard reads. */
const SessionAnswer = z.object({
  id: z.string(),
  user: z.object({
    id: z.string(),
    email: z.string().nullable(),
    name: z.string().nullable(),
    roles: z.array(z.string()),
  }),
  scopes: z.array(z.string()),
  expiresAt: z.iso.datetime({ offset: true }),
});

/**
 * Creates a guard over `auth-api` at `authUrl`. The revocation feed is
 * subscribed to on the first request that carries a session.
 *
 * @param options Where `auth-api` is, the workspace's secret and the cache.
 * @returns The guard.
 *
 * @example
 * ```ts ignore
 * import { createGuard, createService } from "@netscript/service";
 *
 * const guard = createGuard({ authUrl: "http://localhost:8094" });
 * console.log(await guard.authenticate(new Headers({ cookie: "session=…" })));
 * ```
 */
export function createGuard(options: GuardOptions): Guard {
  const authUrl = options.authUrl.replace(/\/+$/, "");
  const key = options.serviceSecret;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const send = options.fetch ?? ((request: Request) => fetch(request));
  const logger = options.logger ?? createLogger({ service: "guard" });
  const memory = new SessionMemory(
    options.cacheTtlMs ?? 30_000,
    options.maxCachedSessions ?? 10_000,
  );
  const credentials = new Map<string, ServicePrincipal>();
  /** Checks with auth-api in flight, by credentials: requests that carry the same ones wait for it. */
  const checking = new Map<string, Promise<UserPrincipal | null>>();
  let feed: { close(): void } | undefined;
  let closed = false;

  const subscribe = () => {
    if (closed || feed !== undefined || key === undefined || !memory.enabled) return;
    feed = subscribeToRevocations({
      authUrl,
      credential: () => mintServiceCredential(key, options.subject ?? "netscript"),
      onReady: () => memory.open(),
      onRevoked: (ended) => memory.forgetSessions(ended),
      onLost: () => memory.lose(),
      logger,
    });
  };
  const serviceCredential = async (token: string): Promise<ServicePrincipal | null> => {
    const known = credentials.get(token);
    if (known !== undefined) {
      if (known.expiresAt.getTime() > Date.now()) return known;
      credentials.delete(token);
      return null;
    }
    const claims = await verifyServiceCredential(key!, token);
    if (claims === null) return null;
    const principal: ServicePrincipal = Object.freeze({
      kind: "service",
      service: claims.subject,
      expiresAt: claims.expiresAt,
    });
    if (credentials.size >= MAX_REMEMBERED_CREDENTIALS) {
      credentials.delete(credentials.keys().next().value!);
    }
    credentials.set(token, principal);
    return principal;
  };

  return {
    async authenticate(headers) {
      const authorization = headers.get("authorization");
      if (authorization !== null && /^bearer /i.test(authorization)) {
        const token = authorization.slice(7).trim();
        if (credentials.has(token) || looksLikeServiceCredential(token)) {
          return key === undefined ? null : await serviceCredential(token);
        }
      }
      const cookie = headers.get("cookie");
      if (cookie === null && authorization === null) return null;
      subscribe();
      const cacheKey = `${cookie ?? ""}\u0000${authorization ?? ""}`;
      const remembered = memory.recall(cacheKey);
      if (remembered !== undefined) return remembered;
      const pending = checking.get(cacheKey);
      if (pending !== undefined) return await pending;
      const startedAt = memory.epoch;
      const check = _askAuthApi(send, authUrl, timeoutMs, headers).then((principal) => {
        if (principal !== null) memory.keep(cacheKey, principal, startedAt);
        return principal;
      }).finally(() => checking.delete(cacheKey));
      checking.set(cacheKey, check);
      return await check;
    },
    close() {
      closed = true;
      feed?.close();
      feed = undefined;
      memory.lose();
    },
  };
}

/** How many verified service credentials a guard remembers. */
const MAX_REMEMBERED_CREDENTIALS = 1_000;

/** A workspace process's principal. */
type ServicePrincipal = Extract<Principal, { kind: "service" }>;

/** Asks `auth-api` whose session the request's credentials prove. */
async function _askAuthApi(
  send: (request: Request) => Promise<Response>,
  authUrl: string,
  timeoutMs: number,
  headers: Headers,
): Promise<UserPrincipal | null> {
  const forwarded = new Headers({ accept: "application/json" });
  for (const name of ["cookie", "authorization"]) {
    const value = headers.get(name);
    if (value !== null) forwarded.set(name, value);
  }
  let response: Response;
  try {
    response = await send(
      new Request(`${authUrl}/api/session`, {
        headers: forwarded,
        redirect: "manual",
        signal: AbortSignal.timeout(timeoutMs),
      }),
    );
  } catch (error) {
    throw _unavailable(authUrl, error instanceof Error ? error.message : String(error));
  }
  if (response.status === 401) {
    await response.body?.cancel();
    return null;
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw _unavailable(authUrl, `it answered ${response.status}`);
  }
  const parsed = SessionAnswer.safeParse(await response.json().catch(() => undefined));
  if (!parsed.success) throw _unavailable(authUrl, "its session answer has an unknown shape");
  const session = parsed.data;
  return Object.freeze({
    kind: "user",
    sessionId: session.id,
    user: Object.freeze({ ...session.user, roles: Object.freeze(session.user.roles) }),
    scopes: Object.freeze(session.scopes),
    expiresAt: new Date(session.expiresAt),
  });
}

/** Options of {@linkcode guardFromEnvironment}. */
export interface GuardFromEnvironmentOptions {
  /**
   * Reads a variable.
   * @default {the process environment, where this process may read it}
   */
  readonly env?: (name: string) => string | undefined;
  /** Where the guard logs. */
  readonly logger?: Logger;
}

/**
 * The guard the environment asks for: one over `auth-api` when the
 * workspace has the auth plugin (its service discovery variable,
 * `services__auth-api__http__0`, or `services__auth-api__https__0`,
 * `AUTH_API_HTTPS`, `AUTH_API_HTTP`, is set, as `netscript dev` and the
 * Aspire AppHost set it for every other process), with the workspace's
 * secret from `NETSCRIPT_SERVICE_SECRET`; `undefined` otherwise. A process
 * deployed some other way must be given one of these variables, or its
 * services are not guarded.
 *
 * @param options Where variables are read.
 * @returns The guard, or `undefined`.
 * @throws {NetScriptError} `SERVICE_SECRET_INVALID` for a secret shorter than 32 characters.
 */
export function guardFromEnvironment(options: GuardFromEnvironmentOptions = {}): Guard | undefined {
  const env = options.env ?? processVariable;
  const authUrl = [
    `services__${AUTH_API}__https__0`,
    `services__${AUTH_API}__http__0`,
    "AUTH_API_HTTPS",
    "AUTH_API_HTTP",
  ].map((name) => env(name)).find((value) => value !== undefined && value !== "");
  if (authUrl === undefined) return undefined;
  options.logger?.info("guarded: sessions are checked with auth-api", { authUrl });
  return createGuard({
    authUrl,
    serviceSecret: serviceSecretKey(env(SERVICE_SECRET_VARIABLE)),
    subject: env("OTEL_SERVICE_NAME") || "netscript",
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
}

function _unavailable(authUrl: string, why: string): NetScriptError<ServiceErrorCode> {
  return new NetScriptError<ServiceErrorCode>(
    "SERVICE_AUTH_UNAVAILABLE",
    `Cannot check the session with ${AUTH_API} at ${authUrl}: ${why}`,
    { details: { dependency: AUTH_API } },
  );
}
