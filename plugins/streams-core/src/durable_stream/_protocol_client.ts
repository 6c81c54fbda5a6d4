/**
 * The HTTP side of {@linkcode createDurableStream}: requests to one stream
 * in the Durable Streams protocol, retried with backoff while the server
 * cannot be reached or answers 5xx, and refusals turned into typed errors.
 *
 * @module
 */
import { NetScriptError } from "@netscript/contracts/errors";
import { redactSecrets } from "@netscript/store";
import { STREAMS_CORE_ERROR_CODES, type StreamsCoreErrorCode } from "../streams_error_codes.ts";

/** Sends one HTTP request: the global `fetch`, or a handler called in-process. */
export type StreamFetch = (request: Request) => Promise<Response>;

/** How requests that fail for a passing reason are retried. */
export interface RetryPolicy {
  /**
   * How many times one request is tried before its error is thrown.
   * @default {10}
   */
  readonly attempts?: number | undefined;
  /**
   * The first wait between two tries, doubled each time.
   * @default {50}
   */
  readonly baseDelayMs?: number | undefined;
  /**
   * The longest wait between two tries.
   * @default {2000}
   */
  readonly maxDelayMs?: number | undefined;
}

/** A {@linkcode RetryPolicy} with every field filled in. */
export interface RetrySettings {
  /** How many times one request is tried. */
  readonly attempts: number;
  /** The first wait between two tries. */
  readonly baseDelayMs: number;
  /** The longest wait between two tries. */
  readonly maxDelayMs: number;
}

/** A stream's URL and how to reach it. */
export interface StreamEndpoint {
  /** The stream's URL. */
  readonly url: string;
  /** Sends a request. */
  readonly fetch: StreamFetch;
  /** How passing failures are retried. */
  readonly retry: RetrySettings;
  /** Ends waits and retries. */
  readonly signal?: AbortSignal | undefined;
}

/** The default {@linkcode RetryPolicy}, filled in. */
export const DEFAULT_RETRY: RetrySettings = {
  attempts: 10,
  baseDelayMs: 50,
  maxDelayMs: 2_000,
};

/** Statuses that mean "try again": the server or something before it is down or busy. */
const PASSING = new Set([408, 425, 429, 500, 502, 503, 504]);

/**
 * Sends a request built by `build` until it gets an answer that is not a
 * passing failure, waiting between tries.
 *
 * @param endpoint Where, how, and the retry policy.
 * @param build Builds a fresh request for each try.
 * @returns The first answer that is not a passing failure.
 * @throws {NetScriptError} `STREAMS_UNREACHABLE` once the tries are used up.
 */
export async function sendWithRetries(
  endpoint: StreamEndpoint,
  build: () => Request,
): Promise<Response> {
  let last = "";
  for (let attempt = 1; attempt <= endpoint.retry.attempts; attempt++) {
    endpoint.signal?.throwIfAborted();
    try {
      const response = await endpoint.fetch(build());
      if (!PASSING.has(response.status)) return response;
      last = `HTTP ${response.status}: ${await _message(response)}`;
    } catch (error) {
      if (endpoint.signal?.aborted) throw endpoint.signal.reason;
      last = redactSecrets(error instanceof Error ? error.message : String(error));
    }
    if (attempt < endpoint.retry.attempts) await _pause(endpoint, attempt);
  }
  throw new NetScriptError<StreamsCoreErrorCode>(
    "STREAMS_UNREACHABLE",
    `Could not reach stream ${
      redactSecrets(endpoint.url)
    } after ${endpoint.retry.attempts} tries (last: ${last}); check that streams-api is running and reachable`,
    { details: { url: redactSecrets(endpoint.url), attempts: endpoint.retry.attempts, last } },
  );
}

/**
 * Turns a refusal (a 4xx the caller does not handle) into a typed error
 * with the server's message.
 *
 * @param response The refusal.
 * @param stream The stream's name, for the message.
 * @returns The error to throw.
 */
export async function refusal(response: Response, stream: string): Promise<NetScriptError> {
  const { message, code: named } = await _answer(response);
  const code: StreamsCoreErrorCode =
    named !== undefined && Object.hasOwn(STREAMS_CORE_ERROR_CODES, named)
      ? named as StreamsCoreErrorCode
      : response.status === 404
      ? "STREAMS_NOT_FOUND"
      : response.status === 410
      ? "STREAMS_GONE"
      : response.headers.get("stream-closed") === "true"
      ? "STREAMS_CLOSED"
      : response.status === 403
      ? "STREAMS_PRODUCER_FENCED"
      : response.status === 409 && response.headers.has("producer-expected-seq")
      ? "STREAMS_PRODUCER_SEQ_GAP"
      : response.status === 422
      ? "STREAMS_INVALID_MESSAGE"
      : "STREAMS_REQUEST_REFUSED";
  return new NetScriptError<StreamsCoreErrorCode>(
    code,
    `Stream "${stream}" refused the request with HTTP ${response.status}: ${message}`,
    { details: { stream, status: response.status } },
  );
}

/** The message of an answer, and the code a NetScript server names in its JSON body. */
async function _answer(response: Response): Promise<{ message: string; code?: string }> {
  const text = await response.text().catch(() => "");
  if (text === "") return { message: response.statusText || "no message" };
  try {
    const body = JSON.parse(text);
    if (typeof body?.message === "string") {
      return typeof body.code === "string"
        ? { message: body.message, code: body.code }
        : { message: body.message };
    }
  } catch {
    // A plain-text body is the message itself.
  }
  return { message: text.length > 300 ? `${text.slice(0, 300)}…` : text };
}

async function _message(response: Response): Promise<string> {
  return (await _answer(response)).message;
}

function _pause(endpoint: StreamEndpoint, attempt: number): Promise<void> {
  const { baseDelayMs, maxDelayMs } = endpoint.retry;
  const ms = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(endpoint.signal?.reason);
    };
    const timer = setTimeout(() => {
      endpoint.signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    endpoint.signal?.addEventListener("abort", onAbort, { once: true });
  });
}
