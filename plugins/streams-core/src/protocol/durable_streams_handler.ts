/**
 * The Durable Streams HTTP protocol over a {@linkcode StreamStore}: a fetch
 * handler serving `PUT` (create), `POST` (append, close), `GET` (catch-up,
 * long-poll, SSE), `HEAD`, `DELETE` and CORS preflights under a base path.
 *
 * @module
 */

import { NetScriptError } from "@netscript/contracts/errors";
import type { StreamStore } from "../ports/stream_store.ts";
import type { StreamsCoreErrorCode } from "../streams_error_codes.ts";
import { createProtocolContext } from "./context.ts";
import type { MessageCheck } from "./message_check.ts";
import type { HandlerSettings } from "./handler_settings.ts";
import { errorResponse, preflightResponse } from "./http_response.ts";
import { serveHead, serveRead } from "./serve_reads.ts";
import { serveAppend, serveCreate, serveDelete } from "./serve_writes.ts";

/** Options of {@linkcode createDurableStreamsHandler}. */
export interface DurableStreamsHandlerOptions {
  /** Where streams live. */
  store: StreamStore;
  /**
   * The URL path streams live under; a stream's path is the request's
   * whole path, e.g. `/v1/stream/orders`.
   *
   * @default "/v1/stream/"
   */
  basePath?: string;
  /**
   * How long a long-poll read waits for new data before answering 204.
   *
   * @default 30_000
   */
  longPollTimeoutMs?: number;
  /**
   * How long an SSE connection stays open before the server ends it (the
   * client reconnects from the last offset).
   *
   * @default 60_000
   */
  sseMaxDurationMs?: number;
  /**
   * The largest request body accepted; larger ones get 413.
   *
   * @default 8_388_608
   */
  maxBodyBytes?: number;
  /**
   * About how many bytes one read returns; larger data is paged with
   * `Stream-Next-Offset`.
   *
   * @default 1_048_576
   */
  maxReadBytes?: number;
  /**
   * The `Cache-Control` of catch-up reads that return data.
   *
   * @default "private, max-age=60, stale-while-revalidate=300"
   */
  readCacheControl?: string;
  /**
   * The `Access-Control-Allow-Origin` of every response.
   *
   * @default "*"
   */
  corsOrigin?: string;
  /**
   * The check of a stream's messages, by path: a declared topic's schema.
   * An append (or a create with data) whose messages fail it is refused
   * with 422 `STREAMS_INVALID_MESSAGE` and writes nothing. Only JSON
   * streams' messages are checked.
   *
   * @default no checks
   */
  checkMessage?: (path: string) => MessageCheck | undefined;
  /**
   * Called with each unexpected error (answered 500) and each store
   * outage (answered 503, without the store's address); protocol errors
   * are not reported here.
   *
   * @default logs with console.error
   */
  onError?: (error: unknown, request: Request) => void;
  /**
   * The clock, in milliseconds since the epoch.
   *
   * @default Date.now
   */
  now?: () => number;
}

/** A fetch handler serving the Durable Streams protocol. */
export type DurableStreamsHandler = (request: Request) => Promise<Response>;

function _notFound(path: string): NetScriptError<StreamsCoreErrorCode> {
  return new NetScriptError<StreamsCoreErrorCode>(
    "STREAMS_NOT_FOUND",
    `No stream has the path "${path}"; streams live under the handler's base path`,
    { details: { path } },
  );
}

async function _route(
  settings: HandlerSettings,
  request: Request,
  path: string,
): Promise<Response> {
  switch (request.method) {
    case "PUT":
      return await serveCreate(settings, request, path);
    case "POST":
      return await serveAppend(settings, request, path);
    case "GET":
      return await serveRead(settings, request, path);
    case "HEAD":
      return await serveHead(settings, path);
    case "DELETE":
      return await serveDelete(settings, path);
    default:
      throw new NetScriptError<StreamsCoreErrorCode>(
        "STREAMS_METHOD_NOT_ALLOWED",
        `Cannot serve ${request.method} on a stream; use PUT, POST, GET, HEAD, DELETE or OPTIONS`,
        { details: { method: request.method } },
      );
  }
}

/**
 * Creates a fetch handler that serves the Durable Streams protocol for
 * every stream under `basePath`, over any {@linkcode StreamStore}.
 *
 * Choices the protocol leaves to servers: `Stream-Seq` is checked per
 * stream; a request with both `Stream-TTL` and `Stream-Expires-At` is
 * refused (400); idempotent producer state lives as long as its stream;
 * paths under `<basePath>__ds/` (the reserved subscription APIs) answer
 * 404. Writes to one stream are serialized in the process and committed
 * with a version check, so several processes may serve the same store.
 * Errors answer with the status the protocol names and a JSON body
 * `{ "code", "message" }` whose code is one of
 * `STREAMS_CORE_ERROR_CODES` (or a store code, with 503).
 *
 * @param options The store and the handler's limits.
 * @returns The handler; mount it with `Deno.serve` or inside a service.
 *
 * @example
 * ```ts
 * import { createDurableStreamsHandler } from "@netscript/plugin-streams-core";
 * import { createMemoryStreamStore } from "@netscript/plugin-streams-core/memory";
 *
 * const handler = createDurableStreamsHandler({ store: await createMemoryStreamStore() });
 * const response = await handler(new Request("http://localhost/v1/stream/demo", { method: "PUT" }));
 * console.log(response.status); // 201
 * ```
 */
export function createDurableStreamsHandler(
  options: DurableStreamsHandlerOptions,
): DurableStreamsHandler {
  const basePath = (options.basePath ?? "/v1/stream/").replace(/\/?$/, "/");
  const settings: HandlerSettings = {
    context: createProtocolContext(options.store, {
      ...(options.now ? { now: options.now } : {}),
      ...(options.checkMessage ? { checkMessage: options.checkMessage } : {}),
    }),
    basePath,
    longPollTimeoutMs: options.longPollTimeoutMs ?? 30_000,
    sseMaxDurationMs: options.sseMaxDurationMs ?? 60_000,
    maxBodyBytes: options.maxBodyBytes ?? 8 * 1024 * 1024,
    maxReadBytes: options.maxReadBytes ?? 1024 * 1024,
    readCacheControl: options.readCacheControl ?? "private, max-age=60, stale-while-revalidate=300",
    origin: options.corsOrigin ?? "*",
  };
  const onError = options.onError ??
    ((error: unknown, request: Request) =>
      console.error(`[streams] ${request.method} ${new URL(request.url).pathname} failed:`, error));
  return async (request: Request): Promise<Response> => {
    if (request.method === "OPTIONS") return preflightResponse(settings.origin);
    const path = new URL(request.url).pathname;
    try {
      const name = path.startsWith(basePath) ? path.slice(basePath.length) : "";
      if (name === "" || name === "__ds" || name.startsWith("__ds/")) throw _notFound(path);
      return await _route(settings, request, path);
    } catch (error) {
      const { response, unexpected } = errorResponse(error, {
        origin: settings.origin,
        withBody: request.method !== "HEAD",
      });
      if (unexpected) onError(error, request);
      return response;
    }
  };
}
