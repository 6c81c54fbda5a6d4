import type { AnyContractRouter } from "@orpc/contract";
import { SmartCoercionPlugin } from "@orpc/json-schema";
import { OpenAPIHandler } from "@orpc/openapi/fetch";
import type { Router } from "@orpc/server";
import { RPCHandler } from "@orpc/server/fetch";
import { createLogger, type Logger, requestTraceContext } from "@netscript/telemetry";
import { BodyLimit } from "./body_limit.ts";
import { DirectRpc } from "./direct_rpc.ts";
import { createEncodeFailureInterceptor } from "./encode_failure_interceptor.ts";
import { loadScalarBundle, renderDocsPage, SCALAR_SCRIPT_NAME } from "./docs_page.ts";
import { type HealthCheck, runHealthChecks } from "./health.ts";
import {
  generateOpenAPIDocument,
  type OpenAPIDocument,
  REST_PREFIX,
  schemaConverters,
  type ServiceOpenAPIOptions,
} from "./openapi_document.ts";
import {
  createProcedureInterceptor,
  REQUEST_STATE,
  type RequestState,
} from "./procedure_interceptor.ts";
import { plainErrorResponse } from "./plain_error.ts";
import { refuseCrossSite, refuseNonJsonBody } from "./request_guard.ts";
import { assertNoReservedRoutes, checkMounts } from "./reserved_routes.ts";
import { QueryArrays } from "./query_arrays.ts";
import { RestRoutes } from "./rest_routes.ts";
import { type RunningService, type ServeOptions, serveService } from "./serve.ts";

/** The context every handler receives: the incoming request's headers. */
export interface ServiceContext {
  /** The headers of the HTTP request being handled. */
  headers: Headers;
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
  logger?: Logger;
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
}

/** A handler for every path under a prefix; see {@linkcode CreateServiceOptions.mounts}. */
export interface ServiceMount {
  /** The path prefix, e.g. `/v1/stream/`. */
  readonly prefix: string;
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
  /** Returns the OpenAPI document generated from the contract. */
  openapi(): Promise<OpenAPIDocument>;
}

const RPC_PREFIX = `${REST_PREFIX}/rpc`;
const DOCS_PATH = `${REST_PREFIX}/docs`;
const OPENAPI_PATH = `${REST_PREFIX}/openapi.json`;
/** What the service's own read-only endpoints answer to. */
const READ_METHODS = ["GET", "HEAD"] as const;

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
  assertNoReservedRoutes(options.contract);
  const mounts = checkMounts(options.mounts ?? []);
  const logger = options.logger ?? createLogger({ service: options.name });
  const logRequests = options.logRequests ?? true;
  const healthChecks = options.healthChecks ?? {};
  const healthCheckTimeoutMs = options.healthCheckTimeoutMs ?? 5_000;
  const bodyLimit = {
    maxBodyBytes: options.maxBodyBytes ?? 1_048_576,
    bodyTimeoutMs: options.bodyTimeoutMs ?? 30_000,
  };
  const interceptor = createProcedureInterceptor(options.name, logger);
  const encodeFailures = createEncodeFailureInterceptor(logger);
  const rpc = new RPCHandler<ServiceContext>(options.router, {
    plugins: [new BodyLimit<ServiceContext>(bodyLimit)],
    interceptors: [encodeFailures],
    clientInterceptors: [interceptor],
  });
  const rest = new OpenAPIHandler<ServiceContext>(options.router, {
    plugins: [
      new BodyLimit<ServiceContext>(bodyLimit),
      new SmartCoercionPlugin({ schemaConverters }),
      new QueryArrays<ServiceContext>(),
    ],
    interceptors: [encodeFailures],
    clientInterceptors: [interceptor],
  });
  const direct = new DirectRpc(options.router, {
    ...bodyLimit,
    clientInterceptors: [interceptor],
    logger,
  });
  const restRoutes = new RestRoutes(options.contract);
  let document: Promise<OpenAPIDocument> | undefined;
  const openapi = () => {
    document ??= generateOpenAPIDocument(options.contract, {
      ...options.openapi,
      title: options.name,
      version: options.version ?? "0.0.0",
      ...(options.description === undefined ? {} : { description: options.description }),
    });
    return document;
  };
  let inFlight = 0;

  /** The service's own endpoints: read-only, answered to `GET` and `HEAD`. */
  const ownRoutes: Readonly<Record<string, () => Response | Promise<Response>>> = {
    [OPENAPI_PATH]: async () => Response.json(await openapi()),
    [DOCS_PATH]: () =>
      new Response(renderDocsPage(`${options.name} API reference`), {
        headers: { "content-type": "text/html; charset=utf-8" },
      }),
    [`${DOCS_PATH}/${SCALAR_SCRIPT_NAME}`]: async () =>
      new Response(await loadScalarBundle(), {
        headers: {
          "content-type": "text/javascript; charset=utf-8",
          "cache-control": "public, max-age=86400",
        },
      }),
    [`${DOCS_PATH}/`]: () => new Response(null, { status: 308, headers: { location: "../docs" } }),
    "/alive": () => Response.json({ status: "alive" }),
    "/health": async () => {
      const report = await runHealthChecks(healthChecks, healthCheckTimeoutMs);
      return Response.json(report, { status: report.status === "pass" ? 200 : 503 });
    },
  };

  const route = async (request: Request, path: string, context: ServiceContext) => {
    const method = request.method;
    const mount = mounts.find((candidate) => path.startsWith(candidate.prefix));
    if (mount !== undefined) return await mount.fetch(request);
    if (path.startsWith(`${RPC_PREFIX}/`)) {
      const refused = refuseCrossSite(request);
      if (refused !== undefined) return plainErrorResponse(refused);
      const procedure = path.slice(RPC_PREFIX.length);
      if (direct.accepts(request, procedure)) {
        return await direct.handle(request, procedure, context);
      }
      const result = await rpc.handle(request, { prefix: RPC_PREFIX, context });
      if (result.matched) return result.response;
    } else if (Object.hasOwn(ownRoutes, path)) {
      if (!(READ_METHODS as readonly string[]).includes(method)) {
        return _methodNotAllowed(method, path, READ_METHODS);
      }
      return await ownRoutes[path]!();
    } else if (path.startsWith(`${REST_PREFIX}/`)) {
      const allowed = restRoutes.allowedMethods(path.slice(REST_PREFIX.length));
      if (allowed.length > 0 && !allowed.includes(method)) {
        return _methodNotAllowed(method, path, allowed);
      }
      const refused = refuseCrossSite(request) ?? refuseNonJsonBody(request);
      if (refused !== undefined) return plainErrorResponse(refused);
      const asked = method === "HEAD" ? new Request(request, { method: "GET" }) : request;
      const result = await rest.handle(asked, { prefix: REST_PREFIX, context });
      if (result.matched) return result.response;
    }
    return plainErrorResponse({
      status: 404,
      code: "NOT_FOUND",
      message: `No route for ${method} ${path}`,
    });
  };

  const service: Service = {
    name: options.name,
    async fetch(request) {
      const started = performance.now();
      const path = _pathname(request.url);
      const state: RequestState = { parent: requestTraceContext(request.headers) };
      const context: ServiceContext & { [REQUEST_STATE]: RequestState } = {
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
        serveOptions,
      ),
    openapi,
  };
  return service;
}

/** Answers a known path asked with a method it does not serve: 405 with `Allow`. */
function _methodNotAllowed(method: string, path: string, allowed: readonly string[]): Response {
  return plainErrorResponse({
    status: 405,
    code: "METHOD_NOT_SUPPORTED",
    message: `${path} does not answer ${method}; use ${allowed.join(", ")}`,
  }, { allow: allowed.join(", ") });
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
