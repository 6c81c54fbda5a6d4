/**
 * RPC calls answered without oRPC's generic fetch handler. `RPCHandler`
 * converts every request into a standard request (its URL parsed, its
 * headers copied into an object), runs its plugin and interceptor chains
 * and oRPC's own tracing hooks, and converts the answer back; for a JSON
 * call that is most of a request's cost. Here the procedures of the router
 * are found by their RPC path in one map lookup, the body is read once
 * within the service's limits, and the call goes through oRPC's procedure
 * client (input and output validation, middleware, the service's
 * interceptors) with oRPC's RPC serializer on both sides, so the answer is
 * the one `RPCHandler` gives, byte for byte.
 *
 * @module
 */
import { toORPCError } from "@orpc/client";
import { StandardRPCJsonSerializer, StandardRPCSerializer } from "@orpc/client/standard";
import {
  type AnyProcedure,
  type AnyRouter,
  createProcedureClient,
  getRouter,
  isProcedure,
  ORPCError,
  traverseContractProcedures,
} from "@orpc/server";
import { toFetchResponse } from "@orpc/standard-server-fetch";
import type { Logger } from "@netscript/telemetry";
import { bodyRefusal } from "./body_limit.ts";
import { logEncodeFailure } from "./encode_failure_interceptor.ts";
import { readBody } from "./read_body.ts";

/** A procedure-client interceptor, as `createProcedureClient` takes them. */
// deno-lint-ignore no-explicit-any
type ClientInterceptor = (options: any) => Promise<unknown>;

/** Options of {@linkcode DirectRpc}. */
export interface DirectRpcOptions {
  /** Wrap every procedure call (span, error mapping, logging). */
  readonly clientInterceptors: readonly ClientInterceptor[];
  /** The largest body accepted, in bytes. */
  readonly maxBodyBytes: number;
  /** How long a body may take to arrive, in milliseconds. */
  readonly bodyTimeoutMs: number;
  /** Where a response that cannot be encoded is logged. */
  readonly logger: Logger;
}

/** A procedure and its path in the router. */
interface Entry {
  readonly path: readonly string[];
  readonly procedure: AnyProcedure;
}

const JSON_HEADERS: Readonly<Record<string, string>> = { "content-type": "application/json" };

/**
 * The router's procedures by RPC path, and the calls to them. Only plain
 * JSON calls are answered here ({@linkcode DirectRpc.accepts}); the rest
 * (lazy routers, file uploads, event-stream inputs, `GET` calls) go to
 * `RPCHandler` as before.
 */
export class DirectRpc {
  readonly #procedures = new Map<string, Entry>();
  readonly #serializer = new StandardRPCSerializer(new StandardRPCJsonSerializer());
  readonly #decoder = new TextDecoder();
  readonly #options: DirectRpcOptions;

  /**
   * Indexes the router's procedures; a procedure behind a lazy router is
   * left to `RPCHandler`, which loads it on first use.
   *
   * @param router The implementation.
   * @param options The interceptors, body limits and logger.
   */
  constructor(router: AnyRouter, options: DirectRpcOptions) {
    this.#options = options;
    traverseContractProcedures({ router, path: [] }, ({ path }) => {
      const procedure = getRouter(router, path);
      if (isProcedure(procedure)) {
        this.#procedures.set(`/${path.map(encodeURIComponent).join("/")}`, { path, procedure });
      }
    });
  }

  /**
   * Whether a request is a plain JSON call to a known procedure: `POST`,
   * a JSON body (or none), no file.
   *
   * @param request The request.
   * @param path Its path after the RPC prefix, e.g. `/users/create`.
   * @returns Whether {@linkcode DirectRpc.handle} answers it.
   */
  accepts(request: Request, path: string): boolean {
    if (request.method !== "POST" || !this.#procedures.has(path)) return false;
    const headers = request.headers;
    const type = headers.get("content-type");
    return (type === null || type.startsWith("application/json")) &&
      !headers.has("content-disposition");
  }

  /**
   * Answers a call {@linkcode DirectRpc.accepts} took.
   *
   * @param request The request.
   * @param path Its path after the RPC prefix.
   * @param context The procedure context.
   * @returns The response, as `RPCHandler` would send it.
   */
  async handle(request: Request, path: string, context: object): Promise<Response> {
    const { path: procedurePath, procedure } = this.#procedures.get(path)!;
    const options = this.#options;
    const body = await readBody(request, {
      maxBytes: options.maxBodyBytes,
      timeoutMs: options.bodyTimeoutMs,
    });
    if (body.outcome === "too_large" || body.outcome === "timed_out") {
      const refused = this.#error(bodyRefusal(body.outcome, options));
      refused.headers.set("connection", "close");
      return refused;
    }
    let input: unknown;
    try {
      if (body.outcome === "failed") throw body.error;
      const text = this.#decoder.decode(body.bytes);
      input = this.#serializer.deserialize(text === "" ? undefined : JSON.parse(text));
    } catch (error) {
      return this.#error(
        new ORPCError("BAD_REQUEST", {
          message:
            "Malformed request. Ensure the request body is properly formatted and the 'Content-Type' header is set correctly.",
          cause: error,
        }),
      );
    }
    let output: unknown;
    try {
      const client = createProcedureClient(procedure, {
        context,
        path: procedurePath as string[],
        interceptors: options.clientInterceptors as ClientInterceptor[],
      });
      output = await client(input as never, {
        signal: request.signal,
        lastEventId: request.headers.get("last-event-id") ?? undefined,
      });
    } catch (error) {
      return this.#error(toORPCError(error));
    }
    try {
      if (output instanceof ReadableStream) return new Response(output, { status: 200 });
      const serialized = this.#serializer.serialize(output);
      if (serialized instanceof FormData || !("json" in serialized)) {
        return toFetchResponse({ status: 200, headers: {}, body: serialized });
      }
      return new Response(JSON.stringify(serialized), { status: 200, headers: JSON_HEADERS });
    } catch (error) {
      logEncodeFailure(options.logger, context, error);
      return this.#error(toORPCError(error));
    }
  }

  /** An error answer, as oRPC's RPC codec encodes it. */
  #error(error: ORPCError<string, unknown>): Response {
    return new Response(JSON.stringify(this.#serializer.serialize(error.toJSON())), {
      status: error.status,
      headers: JSON_HEADERS,
    });
  }
}
