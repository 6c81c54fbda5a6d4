/**
 * Reads a request body the way a service can afford to: in the chunks the
 * connection delivers, never more than a limit, within a deadline. Memory
 * follows the bytes that actually arrived, never the `Content-Length` a
 * client declares.
 *
 * @module
 */
import { type Deadline, DeadlineQueue } from "./deadline_queue.ts";

/**
 * The most a single pending read may hold. A connection waiting for the
 * rest of its body holds one read buffer; 16 KiB keeps 1,000 such
 * connections at 16 MiB (the runtime's own reader takes 64 KiB each).
 */
const READ_CHUNK_BYTES = 16_384;

/** The deadline queues of the process, one per deadline length. */
const DEADLINES = new Map<number, DeadlineQueue>();

/** Options of {@linkcode readBody}. */
export interface ReadBodyOptions {
  /** The largest body accepted, in bytes. */
  maxBytes: number;
  /** How long the whole body may take to arrive, in milliseconds. */
  timeoutMs: number;
}

/** What {@linkcode readBody} found: the bytes, or why it stopped reading. */
export type ReadBodyResult =
  | { readonly outcome: "read"; readonly bytes: Uint8Array<ArrayBuffer> }
  | { readonly outcome: "too_large" }
  | { readonly outcome: "timed_out" }
  | { readonly outcome: "failed"; readonly error: unknown };

/**
 * Reads the body of `request` into one buffer of its real size. Stops, and
 * cancels the body, as soon as more than `maxBytes` arrived (or were
 * declared in `Content-Length`) or `timeoutMs` passed. The cancel is
 * awaited: until it has settled, `Deno.serve` cannot close the connection.
 * A body that breaks off (the client went away) is `failed`, with the error.
 *
 * @param request The request; its body is consumed.
 * @param options The size limit and the deadline.
 * @returns The bytes, or `too_large` / `timed_out` / `failed`.
 */
export async function readBody(
  request: Request,
  options: ReadBodyOptions,
): Promise<ReadBodyResult> {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > options.maxBytes) {
    await request.body?.cancel();
    return { outcome: "too_large" };
  }
  let queue = DEADLINES.get(options.timeoutMs);
  if (queue === undefined) {
    DEADLINES.set(options.timeoutMs, queue = new DeadlineQueue(options.timeoutMs));
  }
  const timer: Deadline = queue.start();
  const deadline = timer.expired;
  if (declared !== null && Number(declared) <= READ_CHUNK_BYTES) {
    // A small declared body costs no more than one chunk buffer even if it never
    // arrives, so it is read in one go, without touching request.body: the chunked
    // reader costs ~70 µs a request, and materializing the body stream ~20 µs.
    try {
      const bytes = await Promise.race([request.bytes(), deadline]);
      return bytes === "timed_out" ? { outcome: "timed_out" } : { outcome: "read", bytes };
    } catch (error) {
      return { outcome: "failed", error };
    } finally {
      timer.done();
    }
  }
  if (request.body === null) {
    timer.done();
    return { outcome: "read", bytes: new Uint8Array(0) };
  }
  const reader = _chunkReader(request.body);
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    while (true) {
      const next = await Promise.race([reader.read(), deadline]).catch((error: unknown) => ({
        error,
      }));
      if (typeof next === "object" && "error" in next) {
        return { outcome: "failed", error: next.error };
      }
      if (next === "timed_out") {
        await reader.cancel();
        return { outcome: "timed_out" };
      }
      if (next.done) break;
      total += next.value.byteLength;
      if (total > options.maxBytes) {
        await reader.cancel();
        return { outcome: "too_large" };
      }
      chunks.push(next.value);
    }
  } finally {
    timer.done();
  }
  return { outcome: "read", bytes: _concat(chunks, total) };
}

/** Reads a body a bounded chunk at a time. */
interface ChunkReader {
  /** The next chunk, a copy the caller may keep; `done` at the end. */
  read(): Promise<{ done: true } | { done: false; value: Uint8Array }>;
  /** Stops reading and releases the body. */
  cancel(): Promise<void>;
}

/**
 * Reads into one reused {@linkcode READ_CHUNK_BYTES} buffer when the body is
 * a byte stream (every body `Deno.serve` hands over), else with a default
 * reader (a body a caller built from its own stream, in process).
 */
function _chunkReader(body: ReadableStream<Uint8Array>): ChunkReader {
  let byob: ReadableStreamBYOBReader;
  try {
    byob = body.getReader({ mode: "byob" });
  } catch {
    const reader = body.getReader();
    return {
      read: async () => {
        const next = await reader.read();
        return next.done ? { done: true } : { done: false, value: next.value };
      },
      cancel: () => reader.cancel(),
    };
  }
  let buffer = new Uint8Array(READ_CHUNK_BYTES);
  return {
    read: async () => {
      const next = await byob.read(buffer);
      if (next.done || next.value === undefined) return { done: true };
      const copy = next.value.slice();
      buffer = new Uint8Array(next.value.buffer);
      return { done: false, value: copy };
    },
    cancel: () => byob.cancel(),
  };
}

/** One buffer of exactly the bytes received. */
function _concat(chunks: readonly Uint8Array[], total: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
