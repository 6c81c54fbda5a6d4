import { type Context, ORPCError } from "@orpc/server";
import type { FetchHandlerOptions, FetchHandlerPlugin } from "@orpc/server/fetch";
import { readBody } from "./read_body.ts";

/** Options of {@linkcode BodyLimit}. */
export interface BodyLimitOptions {
  /** The largest body accepted, in bytes (413 `PAYLOAD_TOO_LARGE` beyond). */
  maxBodyBytes: number;
  /** How long a body may take to arrive, in milliseconds (408 `TIMEOUT` after). */
  bodyTimeoutMs: number;
}

/**
 * The error a body that is refused is answered with: 413
 * `PAYLOAD_TOO_LARGE` or 408 `TIMEOUT`, naming the limit.
 *
 * @param outcome Why the body was not read.
 * @param options The limits.
 * @returns The error.
 */
export function bodyRefusal(
  outcome: "too_large" | "timed_out",
  options: BodyLimitOptions,
): ORPCError<string, unknown> {
  return outcome === "too_large"
    ? new ORPCError("PAYLOAD_TOO_LARGE", {
      message: `The request body is larger than ${options.maxBodyBytes} bytes`,
    })
    : new ORPCError("TIMEOUT", {
      message: `The request body did not arrive within ${options.bodyTimeoutMs} ms`,
    });
}

/**
 * Reads each request body before oRPC decodes it: in bounded chunks, at most
 * `maxBodyBytes`, within `bodyTimeoutMs`, so a declared but unsent
 * `Content-Length` costs nothing and a body that never finishes cannot hold
 * a request open. oRPC then decodes the buffered bytes. A body over the
 * limit is answered 413 `PAYLOAD_TOO_LARGE`, a late one 408 `TIMEOUT`, each
 * in the handler's own error format and with `connection: close`, since the
 * rest of the body was never read. A
 * body that breaks off (the client went away) is oRPC's 400 for a malformed
 * request, which is not logged.
 */
export class BodyLimit<T extends Context> implements FetchHandlerPlugin<T> {
  readonly #options: BodyLimitOptions;

  /** @param options The size limit and the deadline. */
  constructor(options: BodyLimitOptions) {
    this.#options = options;
  }

  /** Adds the bounded read in front of oRPC's request decoding. */
  initRuntimeAdapter(options: FetchHandlerOptions<T>): void {
    const { maxBodyBytes, bodyTimeoutMs } = this.#options;
    options.adapterInterceptors ??= [];
    options.adapterInterceptors.push(async (interceptor) => {
      const { request } = interceptor;
      if (request.method === "GET" || request.method === "HEAD") {
        return interceptor.next();
      }
      const body = await readBody(request, { maxBytes: maxBodyBytes, timeoutMs: bodyTimeoutMs });
      if (body.outcome === "read") {
        return interceptor.next({
          ...interceptor,
          request: new Request(request, { body: body.bytes }),
        });
      }
      const error = body.outcome === "failed"
        ? body.error
        : bodyRefusal(body.outcome, this.#options);
      const failing = new ReadableStream<Uint8Array>({ start: (c) => c.error(error) });
      const result = await interceptor.next({
        ...interceptor,
        request: new Request(request.url, {
          method: request.method,
          headers: request.headers,
          body: failing,
          signal: request.signal,
          duplex: "half",
        } as RequestInit),
      });
      if (!result.matched || body.outcome === "failed") return result;
      const headers = new Headers(result.response.headers);
      headers.set("connection", "close");
      return {
        matched: true,
        response: new Response(result.response.body, { status: result.response.status, headers }),
      };
    });
  }
}
