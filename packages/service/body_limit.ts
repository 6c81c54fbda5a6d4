import { type Context, ORPCError } from "@orpc/server";
import type { FetchHandlerOptions, FetchHandlerPlugin } from "@orpc/server/fetch";

/**
 * Limits request bodies to `maxBodySize` bytes (413 `PAYLOAD_TOO_LARGE`
 * beyond). A body with a `Content-Length` within the limit is passed through
 * untouched: the HTTP server never delivers more bytes than that header
 * declares. Only bodies without one (chunked) are counted as they stream.
 */
export class BodyLimit<T extends Context> implements FetchHandlerPlugin<T> {
  readonly #maxBodySize: number;

  /** @param maxBodySize The largest body accepted, in bytes. */
  constructor(maxBodySize: number) {
    this.#maxBodySize = maxBodySize;
  }

  /** Adds the limit in front of oRPC's request decoding. */
  initRuntimeAdapter(options: FetchHandlerOptions<T>): void {
    const max = this.#maxBodySize;
    options.adapterInterceptors ??= [];
    options.adapterInterceptors.push((interceptor) => {
      const { request } = interceptor;
      const declared = request.headers.get("content-length");
      if (declared !== null && Number(declared) <= max) return interceptor.next();
      if (request.method === "GET" || request.method === "HEAD" || !request.body) {
        return interceptor.next();
      }
      const limited = new Request(request, {
        body: _limit(request.body!, declared === null ? undefined : Number(declared), max),
        duplex: "half",
      } as RequestInit);
      return interceptor.next({ ...interceptor, request: limited });
    });
  }
}

function _limit(
  body: ReadableStream<Uint8Array>,
  declared: number | undefined,
  max: number,
): ReadableStream<Uint8Array> {
  let seen = 0;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      start(controller) {
        if (declared !== undefined && declared > max) {
          controller.error(new ORPCError("PAYLOAD_TOO_LARGE"));
        }
      },
      transform(chunk, controller) {
        seen += chunk.length;
        if (seen > max) controller.error(new ORPCError("PAYLOAD_TOO_LARGE"));
        else controller.enqueue(chunk);
      },
    }),
  );
}
