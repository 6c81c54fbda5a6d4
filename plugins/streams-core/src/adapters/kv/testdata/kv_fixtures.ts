/**
 * What the Deno KV stream store's tests share: a temporary folder, the raw
 * keys of a KV file, and records and chunks to commit.
 *
 * @module
 */
import { ok } from "node:assert/strict";
import type { StreamChunk, StreamRecord, StreamStore } from "../../../ports/stream_store.ts";

/** Runs `body` with a fresh temporary folder, removed afterwards. */
export async function withDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "netscript-kv-streams-" });
  try {
    await body(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Every key in a KV file, read with a handle of its own. */
export async function keysIn(file: string): Promise<Deno.KvKey[]> {
  const kv = await Deno.openKv(file);
  try {
    return (await Array.fromAsync(kv.list({ prefix: [] }))).map(({ key }) => key);
  } finally {
    kv.close();
  }
}

/** A byte stream's record at version 1, changed by `overrides`. */
export function record(path: string, overrides: Partial<StreamRecord> = {}): StreamRecord {
  return {
    path,
    contentType: "application/octet-stream",
    createdAt: 1,
    accessedAt: 1,
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

/** A chunk of `length` bytes, each `fill`, starting at `start`. */
export function bytes(start: number, length: number, fill = 7): StreamChunk {
  return { start, end: start + length, data: new Uint8Array(length).fill(fill), committedAt: 1 };
}

/** Creates a stream holding `chunks`. */
export async function create(
  store: StreamStore,
  path: string,
  chunks: StreamChunk[],
): Promise<void> {
  const tail = chunks.at(-1)?.end ?? 0;
  ok(
    await store.commit([{
      kind: "put",
      expectedVersion: null,
      record: record(path, { tail }),
      chunks,
    }]),
  );
}
