/**
 * One version of a service's API at its path prefix: the RPC protocol, the
 * REST routes, the OpenAPI document and the reference page of one contract.
 * A service has one for its current contract at `/api` and one for each
 * older version it still serves at `/api/<version>`.
 *
 * @module
 */
import type { AnyContractRouter } from "@orpc/contract";
import { SmartCoercionPlugin } from "@orpc/json-schema";
import { OpenAPIHandler } from "@orpc/openapi/fetch";
import type { AnyRouter } from "@orpc/server";
import { RPCHandler } from "@orpc/server/fetch";
import type { Logger } from "@netscript/telemetry";
import { BodyLimit, type BodyLimitOptions } from "./body_limit.ts";
import { DirectRpc } from "./direct_rpc.ts";
import { loadScalarBundle, renderDocsPage, SCALAR_SCRIPT_NAME } from "./docs_page.ts";
import {
  generateOpenAPIDocument,
  type OpenAPIDocument,
  type OpenAPIDocumentOptions,
  schemaConverters,
} from "./openapi_document.ts";
import { plainErrorResponse } from "./plain_error.ts";
import { QueryArrays } from "./query_arrays.ts";
import { refuseCrossSite, refuseNonJsonBody } from "./request_guard.ts";
import { RestRoutes } from "./rest_routes.ts";

/** The methods the document and the reference page answer to. */
export const READ_METHODS: readonly string[] = ["GET", "HEAD"];

/** When a version stopped being the one to use, and when it goes away. */
export interface VersionDeprecation {
  /** When it was deprecated: sent as `Deprecation: @<seconds>` (RFC 9745). */
  readonly since: Date;
  /** When it stops being served: sent as `Sunset: <HTTP date>` (RFC 8594). */
  readonly sunset?: Date;
  /** A page on moving to the next version: sent as `Link: <url>; rel="deprecation"`. */
  readonly link?: string;
}

/** Options of {@linkcode ApiSurface}. */
export interface ApiSurfaceOptions {
  /** Where it is served: `/api` or `/api/<version>`. */
  readonly prefix: string;
  /** The contract. */
  readonly contract: AnyContractRouter;
  /** Its implementation. */
  readonly router: AnyRouter;
  /** What the OpenAPI document says of the API. */
  readonly document: OpenAPIDocumentOptions;
  /** Set when this version is deprecated. */
  readonly deprecation?: VersionDeprecation | undefined;
  /** The service's body limits. */
  readonly bodyLimit: BodyLimitOptions;
  /** Wrap every procedure call, outermost first. */
  // deno-lint-ignore no-explicit-any
  readonly clientInterceptors: readonly ((options: any) => Promise<unknown>)[];
  /** Logs responses that cannot be encoded. */
  // deno-lint-ignore no-explicit-any
  readonly encodeFailures: (options: any) => Promise<any>;
  /** Where failures are logged. */
  readonly logger: Logger;
}

/** One contract served at one prefix; see the module. */
export class ApiSurface {
  /** Where it is served, e.g. `/api/v1`. */
  readonly prefix: string;
  readonly #rpcPrefix: string;
  readonly #rpc: RPCHandler<object>;
  readonly #direct: DirectRpc;
  readonly #rest: OpenAPIHandler<object>;
  readonly #restRoutes: RestRoutes;
  readonly #options: ApiSurfaceOptions;
  readonly #ownRoutes: Readonly<Record<string, () => Response | Promise<Response>>>;
  readonly #deprecationHeaders: readonly [string, string][];
  #document: Promise<OpenAPIDocument> | undefined;

  /**
   * @param options The prefix, contract, implementation and policies.
   */
  constructor(options: ApiSurfaceOptions) {
    this.#options = options;
    this.prefix = options.prefix;
    this.#rpcPrefix = `${options.prefix}/rpc`;
    const { bodyLimit, encodeFailures } = options;
    /** A fresh array for each handler: oRPC's plugins add interceptors to the one they are given. */
    const interceptors = () => [...options.clientInterceptors];
    this.#rpc = new RPCHandler<object>(options.router, {
      plugins: [new BodyLimit<object>(bodyLimit)],
      interceptors: [encodeFailures],
      clientInterceptors: interceptors(),
    });
    this.#rest = new OpenAPIHandler<object>(options.router, {
      plugins: [
        new BodyLimit<object>(bodyLimit),
        new SmartCoercionPlugin({ schemaConverters }),
        new QueryArrays<object>(),
      ],
      interceptors: [encodeFailures],
      clientInterceptors: interceptors(),
    });
    this.#direct = new DirectRpc(options.router, {
      ...bodyLimit,
      clientInterceptors: interceptors(),
      logger: options.logger,
    });
    this.#restRoutes = new RestRoutes(options.contract);
    this.#deprecationHeaders = _deprecationHeaders(options.deprecation);
    const docs = `${options.prefix}/docs`;
    this.#ownRoutes = {
      [`${options.prefix}/openapi.json`]: async () => Response.json(await this.openapi()),
      [docs]: () =>
        new Response(renderDocsPage(`${options.document.title} API reference`), {
          headers: { "content-type": "text/html; charset=utf-8" },
        }),
      [`${docs}/${SCALAR_SCRIPT_NAME}`]: async () =>
        new Response(await loadScalarBundle(), {
          headers: {
            "content-type": "text/javascript; charset=utf-8",
            "cache-control": "public, max-age=86400",
          },
        }),
      [`${docs}/`]: () => new Response(null, { status: 308, headers: { location: "../docs" } }),
    };
  }

  /**
   * The OpenAPI document of this version, generated on the first call.
   *
   * @returns The document.
   */
  openapi(): Promise<OpenAPIDocument> {
    this.#document ??= generateOpenAPIDocument(
      this.#options.contract,
      this.#options.document,
      this.prefix,
    )
      .then((document) => {
        if (this.#options.deprecation !== undefined) {
          _markDeprecated(document, this.#options.deprecation);
        }
        return document;
      });
    return this.#document;
  }

  /**
   * Whether a path is this version's: under its prefix and not under a
   * longer prefix the caller checks first.
   *
   * @param path The request path.
   * @returns Whether {@linkcode ApiSurface.route} answers it.
   */
  owns(path: string): boolean {
    return path.startsWith(`${this.prefix}/`);
  }

  /**
   * Answers a request under the prefix; a deprecated version adds its
   * `Deprecation`, `Sunset` and `Link` headers to every answer.
   *
   * @param request The request.
   * @param path Its path.
   * @param context The procedure context.
   * @returns The response.
   */
  async route(request: Request, path: string, context: object): Promise<Response> {
    const response = await this.#route(request, path, context);
    if (this.#deprecationHeaders.length === 0) return response;
    const headers = new Headers(response.headers);
    for (const [name, value] of this.#deprecationHeaders) headers.append(name, value);
    return new Response(response.body, { status: response.status, headers });
  }

  async #route(request: Request, path: string, context: object): Promise<Response> {
    const method = request.method;
    const prefix = this.prefix;
    if (path.startsWith(`${this.#rpcPrefix}/`)) {
      const refused = refuseCrossSite(request);
      if (refused !== undefined) return plainErrorResponse(refused);
      const procedure = path.slice(this.#rpcPrefix.length);
      if (this.#direct.accepts(request, procedure)) {
        return await this.#direct.handle(request, procedure, context);
      }
      const result = await this.#rpc.handle(request, {
        prefix: this.#rpcPrefix as `/${string}`,
        context,
      });
      if (result.matched) return result.response;
    } else if (Object.hasOwn(this.#ownRoutes, path)) {
      if (!READ_METHODS.includes(method)) return methodNotAllowed(method, path, READ_METHODS);
      return await this.#ownRoutes[path]!();
    } else {
      const allowed = this.#restRoutes.allowedMethods(path.slice(prefix.length));
      if (allowed.length > 0 && !allowed.includes(method)) {
        return methodNotAllowed(method, path, allowed);
      }
      const refused = refuseCrossSite(request) ?? refuseNonJsonBody(request);
      if (refused !== undefined) return plainErrorResponse(refused);
      const asked = method === "HEAD" ? new Request(request, { method: "GET" }) : request;
      const result = await this.#rest.handle(asked, { prefix: prefix as `/${string}`, context });
      if (result.matched) return result.response;
    }
    return notFound(method, path);
  }
}

/**
 * Answers a known path asked with a method it does not serve: 405 with `Allow`.
 *
 * @param method The method asked.
 * @param path The path.
 * @param allowed The methods the path answers.
 * @returns The response.
 */
export function methodNotAllowed(
  method: string,
  path: string,
  allowed: readonly string[],
): Response {
  return plainErrorResponse({
    status: 405,
    code: "METHOD_NOT_SUPPORTED",
    message: `${path} does not answer ${method}; use ${allowed.join(", ")}`,
  }, { allow: allowed.join(", ") });
}

/**
 * Answers a path no route has: 404 `NOT_FOUND`.
 *
 * @param method The method asked.
 * @param path The path.
 * @returns The response.
 */
export function notFound(method: string, path: string): Response {
  return plainErrorResponse({
    status: 404,
    code: "NOT_FOUND",
    message: `No route for ${method} ${path}`,
  });
}

/** The headers every answer of a deprecated version carries. */
function _deprecationHeaders(
  deprecation: VersionDeprecation | undefined,
): readonly [string, string][] {
  if (deprecation === undefined) return [];
  const headers: [string, string][] = [
    ["deprecation", `@${Math.floor(deprecation.since.getTime() / 1_000)}`],
  ];
  if (deprecation.sunset !== undefined) {
    headers.push(["sunset", deprecation.sunset.toUTCString()]);
  }
  if (deprecation.link !== undefined) {
    headers.push(["link", `<${encodeURI(deprecation.link)}>; rel="deprecation"`]);
  }
  return headers;
}

/** Marks every operation of a deprecated version's document `deprecated`, with its sunset. */
function _markDeprecated(document: OpenAPIDocument, deprecation: VersionDeprecation): void {
  for (const operations of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(operations as Record<string, Record<string, unknown>>)) {
      operation.deprecated = true;
      if (deprecation.sunset !== undefined) {
        operation["x-sunset"] = deprecation.sunset.toISOString().slice(0, 10);
      }
    }
  }
}
