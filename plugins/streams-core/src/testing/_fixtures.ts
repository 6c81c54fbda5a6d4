/**
 * Records, chunks and waits the conformance steps share.
 *
 * @module
 */
import { deepEqual, ok } from "node:assert/strict";
import type { StreamChunk, StreamRecord, StreamStore, StreamWrite } from "../ports/stream_store.ts";

/** Runs one conformance step on a fresh store; `peer()` opens another store on the same data. */
export type Step = (
  name: string,
  body: (store: StreamStore, peer: () => Promise<StreamStore>) => Promise<void>,
) => Promise<void>;

/** A plain byte stream's record at version 1, changed by `overrides`. */
export function streamRecord(path: string, overrides: Partial<StreamRecord> = {}): StreamRecord {
  return {
    path,
    contentType: "application/octet-stream",
    createdAt: 1_700_000_000_000,
    accessedAt: 1_700_000_000_000,
    ttlSeconds: null,
    expiresAt: null,
    closed: false,
    closedBy: null,
    softDeleted: false,
    fork: null,
    forkCount: 0,
    tail: 0,
    trimmedTo: 0,
    lastSeq: null,
    producers: {},
    version: 1,
    ...overrides,
  };
}

/** A chunk of UTF-8 text (or bytes) covering `[start, end)`. */
export function chunk(
  start: number,
  end: number,
  data: string | Uint8Array,
  committedAt = 1_700_000_000_000,
): StreamChunk {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  return { start, end, data: bytes, committedAt };
}

/** Creates a byte stream holding `chunks`; its record's `tail` is the last chunk's end. */
export async function createStream(
  store: StreamStore,
  path: string,
  chunks: readonly StreamChunk[] = [],
): Promise<StreamRecord> {
  const record = streamRecord(path, { tail: chunks.at(-1)?.end ?? 0 });
  ok(await store.commit([{ kind: "put", expectedVersion: null, record, chunks }]), "created");
  return record;
}

/** A put that appends `chunks` to `record`, bumping its version and tail. */
export function append(record: StreamRecord, chunks: readonly StreamChunk[]): StreamWrite {
  return {
    kind: "put",
    expectedVersion: record.version,
    record: { ...record, version: record.version + 1, tail: chunks.at(-1)?.end ?? record.tail },
    chunks,
  };
}

/** Asserts that `actual` holds the chunks `expected`, byte for byte, as plain `Uint8Array`s. */
export function assertChunks(
  actual: readonly StreamChunk[],
  expected: readonly StreamChunk[],
  message?: string,
): void {
  deepEqual(
    actual.map(({ start, end, committedAt }) => ({ start, end, committedAt })),
    expected.map(({ start, end, committedAt }) => ({ start, end, committedAt })),
    message,
  );
  actual.forEach((found, i) => {
    ok(found.data instanceof Uint8Array, "chunk data is a Uint8Array");
    const view = new Uint8Array(found.data.buffer, found.data.byteOffset, found.data.byteLength);
    deepEqual(view, expected[i]!.data, `chunk [${found.start}, ${found.end}) byte for byte`);
  });
}

/** Everything stored for `path`: its record and every chunk. */
export async function snapshot(store: StreamStore, path: string): Promise<unknown> {
  return {
    record: await store.get(path),
    chunks: await store.readChunks(path, 0, { maxBytes: Number.MAX_SAFE_INTEGER }),
  };
}

/** The bound a wait that should end soon must beat; only a wait that never ends exceeds it. */
const SOON_MS = 15_000;

/**
 * Resolves with what `promise` resolves to, or fails the step when it is
 * still pending after 15 s: a generous bound that only a wait that never
 * ends exceeds.
 */
export async function soon<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what}: still pending after ${SOON_MS} ms`)),
      SOON_MS,
    );
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Random bytes, `length` of them. */
export function randomBytes(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let at = 0; at < length; at += 65_536) {
    crypto.getRandomValues(bytes.subarray(at, Math.min(at + 65_536, length)));
  }
  return bytes;
}

/** Resolves after `ms`. */
export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));
