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
  SERVICE_SECRET_VARIABLE,
  serviceSecretKey,
  verifyServiceCredential,
} from "@netscript/contracts/credential";
import { NetScriptError } from "@netscript/contracts/errors";
import { createLogger, type Logger } from "@netscript/telemetry";
import { z } from "zod";
import { subscribeToRevocations } from "./revocation_feed.ts";
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

interface CachedSession {
  readonly principal: Principal & { kind: "user" };
  readonly until: number;
}

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
  const ttlMs = options.cacheTtlMs ?? 30_000;
  const maxSessions = options.maxCachedSessions ?? 10_000;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const send = options.fetch ?? ((request: Request) => fetch(request));
  const logger = options.logger ?? createLogger({ service: "guard" });
  const sessions = new Map<string, CachedSession>();
  const keysBySession = new Map<string, Set<string>>();
  const credentials = new Map<string, Principal & { kind: "service" }>();
  let live = false;
  /** Changes whenever what the cache may hold changes: a lookup started before may not be kept. */
  let epoch = 0;
  let feed: { close(): void } | undefined;
  let closed = false;

  const forgetAll = () => {
    sessions.clear();
    keysBySession.clear();
  };
  const subscribe = () => {
    if (closed || feed !== undefined || key === undefined || ttlMs <= 0 || maxSessions <= 0) {
      return;
    }
    feed = subscribeToRevocations({
      authUrl,
      credential: () => mintServiceCredential(key, options.subject ?? "netscript"),
      onReady: () => {
        epoch++;
        forgetAll();
        live = true;
      },
      onRevoked: (ended) => {
        epoch++;
        for (const id of ended) {
          for (const cached of keysBySession.get(id) ?? []) sessions.delete(cached);
          keysBySession.delete(id);
        }
      },
      onLost: () => {
        epoch++;
        live = false;
        forgetAll();
      },
      logger,
    });
  };
  const forget = (cacheKey: string) => {
    const cached = sessions.get(cacheKey);
    if (cached === undefined) return;
    sessions.delete(cacheKey);
    const keys = keysBySession.get(cached.principal.sessionId);
    keys?.delete(cacheKey);
    if (keys?.size === 0) keysBySession.delete(cached.principal.sessionId);
  };
  const remember = (cacheKey: string, principal: Principal & { kind: "user" }) => {
    const until = Math.min(Date.now() + ttlMs, principal.expiresAt.getTime());
    forget(cacheKey);
    if (sessions.size >= maxSessions) forget(sessions.keys().next().value!);
    sessions.set(cacheKey, { principal, until });
    let keys = keysBySession.get(principal.sessionId);
    if (keys === undefined) keysBySession.set(principal.sessionId, keys = new Set());
    keys.add(cacheKey);
  };
  const serviceCredential = async (token: string) => {
    const known = credentials.get(token);
    if (known !== undefined) {
      if (known.expiresAt.getTime() > Date.now()) return known;
      credentials.delete(token);
      return null;
    }
    const claims = await verifyServiceCredential(key!, token);
    if (claims === null) return null;
    const principal = { kind: "service", service: claims.subject, expiresAt: claims.expiresAt };
    if (credentials.size >= 1_000) credentials.delete(credentials.keys().next().value!);
    credentials.set(token, principal as Principal & { kind: "service" });
    return principal as Principal & { kind: "service" };
  };
  const askAuthApi = async (headers: Headers) => {
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
    return {
      kind: "user",
      sessionId: session.id,
      user: session.user,
      scopes: session.scopes,
      expiresAt: new Date(session.expiresAt),
    } as Principal & { kind: "user" };
  };

  return {
    async authenticate(headers) {
      const authorization = headers.get("authorization");
      if (authorization !== null && /^bearer /i.test(authorization)) {
        const token = authorization.slice(7).trim();
        if (looksLikeServiceCredential(token)) {
          return key === undefined ? null : await serviceCredential(token);
        }
      }
      const cookie = headers.get("cookie");
      if (cookie === null && authorization === null) return null;
      subscribe();
      const cacheKey = `${cookie ?? ""}\u0000${authorization ?? ""}`;
      const cached = live ? sessions.get(cacheKey) : undefined;
      if (cached !== undefined) {
        if (cached.until > Date.now()) return cached.principal;
        forget(cacheKey);
      }
      const started = epoch;
      const principal = await askAuthApi(headers);
      if (principal !== null && live && epoch === started && ttlMs > 0) {
        remember(cacheKey, principal);
      }
      return principal;
    },
    close() {
      closed = true;
      feed?.close();
      feed = undefined;
      epoch++;
      live = false;
      forgetAll();
    },
  };
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
 * `services__auth-api__http__0`, is set, as `netscript dev` and the Aspire
 * AppHost set it for every other process), with the workspace's secret
 * from `NETSCRIPT_SERVICE_SECRET`; `undefined` otherwise.
 *
 * @param options Where variables are read.
 * @returns The guard, or `undefined`.
 * @throws {NetScriptError} `SERVICE_SECRET_INVALID` for a secret shorter than 32 characters.
 */
export function guardFromEnvironment(options: GuardFromEnvironmentOptions = {}): Guard | undefined {
  const env = options.env ?? _processVariable;
  const authUrl = env(`services__${AUTH_API}__https__0`) || env(`services__${AUTH_API}__http__0`);
  if (authUrl === undefined || authUrl === "") return undefined;
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

function _processVariable(name: string): string | undefined {
  return Deno.permissions.querySync({ name: "env", variable: name }).state === "granted"
    ? Deno.env.get(name)
    : undefined;
}
