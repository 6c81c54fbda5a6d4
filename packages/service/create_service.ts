import type { AnyContractRouter } from "@orpc/contract";
import type { AnyRouter, Router } from "@orpc/server";
import { NetScriptError, type Principal } from "@netscript/contracts";
import {
  checkAccess,
  createAccessInterceptor,
  type DefaultAccess,
  requiredAccess,
} from "./access_check.ts";
import { type Guard, guardFromEnvironment } from "./guard.ts";
import { createLogger, type Logger, requestTraceContext } from "@netscript/telemetry";
import {
  ApiSurface,
  methodNotAllowed,
  notFound,
  READ_METHODS,
  type VersionDeprecation,
} from "./api_surface.ts";
import { createEncodeFailureInterceptor } from "./encode_failure_interceptor.ts";
import { type HealthCheck, runHealthChecks } from "./health.ts";
import {
  type OpenAPIDocument,
  REST_PREFIX,
  type ServiceOpenAPIOptions,
} from "./openapi_document.ts";
import {
  createProcedureInterceptor,
  REQUEST_STATE,
  type RequestState,
} from "./procedure_interceptor.ts";
import { plainErrorResponse } from "./plain_error.ts";
import { refuseCrossSite } from "./request_guard.ts";
import { assertNoReservedRoutes, checkMounts, checkVersionNames } from "./reserved_routes.ts";
import { type RunningService, type ServeOptions, serveService } from "./serve.ts";
import type { ServiceErrorCode } from "./service_error_codes.ts";

/** The context every handler receives: the incoming request's URL and headers, and its caller. */
export interface ServiceContext {
  /** The URL of the HTTP request being handled (whether it came over https, its host). */
  url: string;
  /** The headers of the HTTP request being handled. */
  headers: Headers;
  /**
   * Who is calling, when the procedure requires a caller (its declared
   * access, or the guarded service's `defaultAccess`): a signed-in user or
   * a workspace process. Unset for a public procedure.
   */
  principal?: Principal | undefined;
}

/** Options of {@linkcode createService}. */
export interface CreateServiceOptions<TContract extends AnyContractRouter> {
  /** The service name: the OpenAPI title, the span attribute and the log field. */
  name: string;
  /**
   * The API version written into the OpenAPI document.
   * @default {"0.0.0"}
   */
  version?: string;
  /** A description for the OpenAPI document. */
  description?: string;
  /**
   * What the OpenAPI document says beyond the contract: license, contact,
   * servers, tag descriptions, security schemes and requirements.
   * @default {{}: no license or contact, the host it was read from, `security: []`}
   */
  openapi?: ServiceOpenAPIOptions;
  /** The contract: the source of the REST routes and the OpenAPI document. */
  contract: TContract;
  /**
   * Finds out who is calling: a procedure that requires a caller (declared
   * with `access.session()` in its route's `spec`, or by `defaultAccess`)
   * is answered 401 without a session or service credential, 403 without
   * a role or scope it names. `null` turns guarding off (`auth-api` itself).
   * @default {guardFromEnvironment(): a guard over auth-api when the workspace has the auth plugin}
   */
  guard?: Guard | null;
  /**
   * What a procedure that declares no access requires when the service has
   * a guard: `"public"` nothing, `"writes"` a caller for every method but
   * `GET`/`HEAD`/`OPTIONS` (a procedure's method is its route's, `POST` when unset),
   * `"all"` a caller for everything. Mounts follow it unless they say
   * otherwise. Without a guard, only declared access is enforced.
   * @default {"public"}
   */
  defaultAccess?: DefaultAccess;
  /** The implementation, made with `implement(contract).router({ … })`. */
  router: Router<TContract, ServiceContext>;
  /**
   * Readiness checks run by `GET /health`, by name.
   * @default {{}}
   */
  healthChecks?: Readonly<Record<string, HealthCheck>>;
  /**
   * How long one health check may take.
   * @default {5000}
   */
  healthCheckTimeoutMs?: number;
  /**
   * The largest request body accepted, in bytes; larger ones get 413. A
   * body is buffered as it arrives, so memory follows the bytes received,
   * never the declared `Content-Length`.
   * @default {1048576}
   */
  maxBodyBytes?: number;
  /**
   * How long a request body may take to arrive once the headers are in, in
   * milliseconds. A later one is answered 408 `TIMEOUT` (with
   * `connection: close`) and what had arrived is dropped.
   * @default {30000}
   */
  bodyTimeoutMs?: number;
  /**
   * The logger for request lines and failures.
   * @default {a JSON logger named after the service}
   */
  logger?: Logger | undefined;
  /**
   * Write one log line per request.
   * @default {true}
   */
  logRequests?: boolean;
  /**
   * HTTP handlers for paths outside the contract, by path prefix: a
   * protocol of its own (the Durable Streams routes of `streams-api`) or a
   * route that must read the raw body (a webhook whose signature covers
   * the exact bytes). A request whose path starts with a prefix goes to
   * that handler, with the request log and the in-flight count of every
   * request; the handler enforces its own body limit, deadline and origin
   * policy (none of the service's checks apply). A prefix starts and
   * ends with `/` and may not overlap `/api/` or `/health`/`/alive`.
   * @default {[]}
   */
  mounts?: readonly ServiceMount[];
  /**
   * Older versions of the API the service still serves next to the current
   * one, by name (`v1`, `v2`, …): each at `/api/<name>/…` (RPC at
   * `/api/<name>/rpc`, REST routes, `openapi.json` and `docs` under it),
   * with its own contract and implementation. A deprecated one sends
   * `Deprecation`, `Sunset` and `Link` headers with every answer and marks
   * its operations `deprecated` in its document.
   * @default {{}}
   */
  versions?: Readonly<Record<string, ServiceVersion>>;
  /**
   * The name of the current version (`v2`), under which the current
   * contract is also served (`/api/v2/…`), so a client that names its
   * version keeps working after the next one ships. Unset, the current
   * contract is served at `/api/…` only.
   */
  currentVersion?: string;
}

/** An older version of a service's API; see {@linkcode CreateServiceOptions.versions}. */
export interface ServiceVersion {
  /** The contract of that version. */
  readonly contract: AnyContractRouter;
  /** Its implementation, made with `implement(contract).router({ … })`. */
  readonly router: AnyRouter;
  /**
   * The `info.version` of its OpenAPI document.
   * @default {the version's name}
   */
  readonly version?: string;
  /** Set when callers should move to a newer version: when, until when, and where to read how. */
  readonly deprecated?: VersionDeprecation;
}

/** A handler for every path under a prefix; see {@linkcode CreateServiceOptions.mounts}. */
export interface ServiceMount {
  /** The path prefix, e.g. `/v1/stream/`. */
  readonly prefix: string;
  /**
   * What a request under the prefix requires when the service has a guard
   * (a webhook whose signatures are its proof is `"public"`). A request
   * that requires a caller is also refused 403 when a browser says it comes
   * from another site, as procedures are.
   * @default {the service's defaultAccess}
   */
  readonly access?: DefaultAccess;
  /**
   * Answers a request under the prefix.
   *
   * @param request The request, unchanged.
   * @returns The response.
   */
  fetch(request: Request): Promise<Response>;
}

/** A service: a fetch handler for every route, and a way to serve it. */
export interface Service {
  /** The service name. */
  readonly name: string;
  /** The API versions it serves by name: `currentVersion` and the keys of `versions`. */
  readonly versions: readonly string[];
  /**
   * Handles one HTTP request: RPC under `/api/rpc`, REST under `/api`,
   * `/api/openapi.json`, `/api/docs`, `/health` and `/alive`.
   */
  fetch(request: Request): Promise<Response>;
  /**
   * Listens on a port (the `PORT` environment variable by default).
   *
   * @param options Port, interface and shutdown behaviour.
   * @returns The running server.
   */
  serve(options?: ServeOptions): RunningService;
  /**
   * Returns the OpenAPI document generated from the contract, or from the
   * contract of one of its named versions.
   *
   * @param version A version name (`v1`); unset, the current contract.
   * @throws {NetScriptError} `SERVICE_INVALID_VERSION` for a name the service does not serve.
   */
  openapi(version?: string): Promise<OpenAPIDocument>;
}

/**
 * Creates a service from a contract and its implementation. One port serves
 * the RPC protocol (what the typed client speaks), REST routes from each
 * procedure's `.route()`, the OpenAPI document, the Scalar reference page,
 * and health endpoints; every procedure call runs in a span. A handler that
 * fails with a store error (`STORE_UNAVAILABLE` or `SCHEMA_MISSING` from
 * `@netscript/contracts/errors`, as every store adapter raises) is answered
 * `503 SERVICE_UNAVAILABLE` with `data.dependency` from the error's
 * `details.dependency`; the store's address stays in the log.
 *
 * Requests are held to a few rules before a procedure runs: a body is read
 * in bounded chunks up to `maxBodyBytes` (413) within `bodyTimeoutMs` (408);
 * `HEAD` is answered wherever `GET` is; a known path asked with another
 * method is `405` with `Allow`; a state-changing request a browser marks as
 * coming from another origin is `403`; a REST body that is not JSON is
 * `415`. Mounts get the request unchanged.
 *
 * @param options The name, contract, router and policies.
 * @returns The service.
 * @throws {NetScriptError} `SERVICE_RESERVED_ROUTE` when a procedure's REST path
 * is one the service serves itself (`/api/rpc/*`, `/api/docs`, `/api/openapi.json`).
 *
 * @example
 * ```ts ignore
 * import { baseContract } from "@netscript/contracts";
 * import { createService, implement } from "@netscript/service";
 * import { z } from "zod";
 *
 * const contract = {
 *   hello: baseContract
 *     .route({ method: "GET", path: "/hello" })
 *     .input(z.object({ name: z.string() }))
 *     .output(z.object({ message: z.string() })),
 * };
 * const os = implement(contract);
 * const router = os.router({
 *   hello: os.hello.handler(({ input }) => ({ message: `Hello, ${input.name}` })),
 * });
 *
 * createService({ name: "greeter", contract, router }).serve();
 * ```
 */
export function createService<TContract extends AnyContractRouter>(
  options: CreateServiceOptions<TContract>,
): Service {
  const versions = Object.entries(options.versions ?? {});
  const versionNames = [
    ...versions.map(([name]) => name),
    ...(options.currentVersion === undefined ? [] : [options.currentVersion]),
  ];
  checkVersionNames(versionNames);
  assertNoReservedRoutes(options.contract, versionNames);
  for (const [, version] of versions) assertNoReservedRoutes(version.contract);
  const mounts = checkMounts(options.mounts ?? []);
  const logger = options.logger ?? createLogger({ service: options.name });
  const guard = options.guard === null
    ? undefined
    : options.guard ?? guardFromEnvironment({ logger });
  const defaultAccess: DefaultAccess = guard === undefined
    ? "public"
    : options.defaultAccess ?? "public";
  const logRequests = options.logRequests ?? true;
  const healthChecks = options.healthChecks ?? {};
  const healthCheckTimeoutMs = options.healthCheckTimeoutMs ?? 5_000;
  const shared = {
    bodyLimit: {
      maxBodyBytes: options.maxBodyBytes ?? 1_048_576,
      bodyTimeoutMs: options.bodyTimeoutMs ?? 30_000,
    },
    clientInterceptors: [
      createProcedureInterceptor(options.name, logger),
      createAccessInterceptor(guard, defaultAccess),
    ],
    encodeFailures: createEncodeFailureInterceptor(logger),
    logger,
  };
  const document = {
    ...options.openapi,
    title: options.name,
    version: options.version ?? "0.0.0",
    defaultAccess,
    ...(options.description === undefined ? {} : { description: options.description }),
  };
  const current = { contract: options.contract, router: options.router as AnyRouter, document };
  const main = new ApiSurface({ ...shared, ...current, prefix: REST_PREFIX });
  /** Versioned prefixes first: `/api/v1/…` is not a REST route of the current contract. */
  const surfaces: readonly ApiSurface[] = [
    ...versions.map(([name, version]) =>
      new ApiSurface({
        ...shared,
        prefix: `${REST_PREFIX}/${name}`,
        contract: version.contract,
        router: version.router as AnyRouter,
        document: { ...document, version: version.version ?? name },
        deprecation: version.deprecated,
      })
    ),
    ...(options.currentVersion === undefined ? [] : [
      new ApiSurface({
        ...shared,
        ...current,
        prefix: `${REST_PREFIX}/${options.currentVersion}`,
      }),
    ]),
    main,
  ];
  const byName = new Map<string, ApiSurface>(
    surfaces.filter((surface) => surface !== main).map((surface) => [
      surface.prefix.slice(REST_PREFIX.length + 1),
      surface,
    ]),
  );
  let inFlight = 0;

  /** The service's own endpoints outside `/api`: read-only, answered to `GET` and `HEAD`. */
  const ownRoutes: Readonly<Record<string, () => Response | Promise<Response>>> = {
    "/alive": () => Response.json({ status: "alive" }),
    "/health": async () => {
      const report = await runHealthChecks(healthChecks, healthCheckTimeoutMs);
      return Response.json(report, { status: report.status === "pass" ? 200 : 503 });
    },
  };

  const route = async (request: Request, path: string, context: ServiceContext) => {
    const mount = mounts.find((candidate) => path.startsWith(candidate.prefix));
    if (mount !== undefined) {
      const fallback = guard === undefined ? "public" : mount.access ?? defaultAccess;
      const required = requiredAccess(undefined, request.method, fallback);
      if (required.kind !== "public") {
        const crossSite = refuseCrossSite(request);
        if (crossSite !== undefined) return plainErrorResponse(crossSite);
        const outcome = await checkAccess(guard, required, request.headers);
        if (outcome.refusal !== undefined) {
          if (outcome.cause !== undefined) {
            logger.warn("the caller cannot be checked", { path, error: outcome.cause });
          }
          return plainErrorResponse(outcome.refusal);
        }
      }
      return await mount.fetch(request);
    }
    if (Object.hasOwn(ownRoutes, path)) {
      if (!READ_METHODS.includes(request.method)) {
        return methodNotAllowed(request.method, path, READ_METHODS);
      }
      return await ownRoutes[path]!();
    }
    const surface = surfaces.find((candidate) => candidate.owns(path));
    return surface === undefined
      ? notFound(request.method, path)
      : await surface.route(request, path, context);
  };

  const service: Service = {
    name: options.name,
    versions: [...byName.keys()].sort(),
    async fetch(request) {
      const started = performance.now();
      const path = _pathname(request.url);
      const state: RequestState = { parent: requestTraceContext(request.headers) };
      const context: ServiceContext & { [REQUEST_STATE]: RequestState } = {
        url: request.url,
        headers: request.headers,
        [REQUEST_STATE]: state,
      };
      inFlight++;
      let status = 500;
      try {
        const response = await route(request, path, context);
        status = response.status;
        return request.method === "HEAD" && response.body !== null
          ? new Response(null, response)
          : response;
      } catch (error) {
        logger.error("request failed", {
          method: request.method,
          path,
          error,
          ...(state.traceId === undefined ? {} : { traceId: state.traceId, spanId: state.spanId }),
        });
        return plainErrorResponse({
          status: 500,
          code: "INTERNAL_SERVER_ERROR",
          message: "Internal server error",
        });
      } finally {
        inFlight--;
        if (logRequests) {
          logger.info("request", {
            method: request.method,
            path,
            status,
            durationMs: Math.round((performance.now() - started) * 100) / 100,
            ...(state.traceId === undefined
              ? {}
              : { traceId: state.traceId, spanId: state.spanId }),
          });
        }
      }
    },
    serve: (serveOptions) =>
      serveService(
        { fetch: service.fetch, inFlight: () => inFlight, logger },
        {
          ...serveOptions,
          onShutdown: async () => {
            guard?.close();
            await serveOptions?.onShutdown?.();
          },
        },
      ),
    openapi: (version) => {
      if (version === undefined) return main.openapi();
      const surface = byName.get(version);
      if (surface === undefined) {
        return Promise.reject(
          new NetScriptError<ServiceErrorCode>(
            "SERVICE_INVALID_VERSION",
            `The service has no API version "${version}"; it serves ${
              [...byName.keys()].join(", ") || "no named versions"
            }`,
            { details: { version, versions: [...byName.keys()] } },
          ),
        );
      }
      return surface.openapi();
    },
  };
  return service;
}

/** The path of a request URL, without parsing the whole URL. */
function _pathname(url: string): string {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  if (start < 0) return "/";
  let end = url.length;
  for (const mark of ["?", "#"]) {
    const at = url.indexOf(mark, start);
    if (at >= 0 && at < end) end = at;
  }
  return url.slice(start, end);
}
