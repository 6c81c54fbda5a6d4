/**
 * One commit of the port: every write's record is read, its version
 * compared with the one expected, and all writes go into one atomic
 * operation that checks each record's versionstamp as read, so a record
 * changed in between (by any process) refuses the whole commit, which is
 * then judged again on fresh reads.
 *
 * What one atomic operation cannot hold is written around it, never
 * visible before it commits: chunk data over 512 KiB in all is written
 * ahead in parts no header names yet (and removed again when the commit
 * loses), and a deleted stream's chunks are swept in batches after it (the
 * stream's generation, which every chunk key holds, goes with its record).
 *
 * @module
 */
import { commitAtomic, isKvLimitError, readMany } from "@netscript/store/kv";
import { NetScriptError } from "@netscript/contracts/errors";
import type { StreamWrite } from "../../ports/stream_store.ts";
import type { StreamsCoreErrorCode } from "../../streams_error_codes.ts";
import { sweepGeneration } from "./_delete_batches.ts";
import type { KeySpace } from "./_key_space.ts";
import type { KvContext } from "./_kv_context.ts";
import { DELETES_PER_BATCH } from "./_kv_limits.ts";
import { type KvPut, storedChunk } from "./_stored_chunk.ts";
import type { StoredRecord } from "./_stored_record.ts";

/** Chunk data above this many bytes in one commit is written ahead of the commit's operation. */
const WRITE_AHEAD_OVER = 512 * 1024;

/** The parts written ahead per atomic operation: 640 KiB, under KV's 800 KiB. */
const PARTS_PER_OPERATION = 10;

/** A deleted generation to sweep. */
interface _Trash {
  readonly path: string;
  readonly generation: string;
}

/**
 * Applies a port commit.
 *
 * @param context The handle, keys and error names.
 * @param writes The writes, at most one per path.
 * @returns `true` when committed, `false` when a stored version differs from the one expected.
 * @throws {NetScriptError} `STREAMS_PAYLOAD_TOO_LARGE` when the writes
 * exceed what one KV atomic operation holds besides chunk data: about 900
 * chunks, or a record over 64 KiB.
 */
export async function commitWrites(
  context: KvContext,
  writes: readonly StreamWrite[],
): Promise<boolean> {
  const { kv, keys, errors } = context;
  const paths = writes.map(_pathOf);
  const dataBytes = writes.reduce((sum, write) => sum + _bytesOf(write), 0);
  const ahead = dataBytes > WRITE_AHEAD_OVER;
  for (;;) {
    const entries = await readMany<StoredRecord>(kv, paths.map((path) => keys.record(path)));
    const stale = writes.some((write, i) =>
      (entries[i]!.value?.record.version ?? null) !== write.expectedVersion
    );
    if (stale) return false;
    const op = kv.atomic();
    const parts: KvPut[] = [];
    const trashed: _Trash[] = [];
    writes.forEach((write, i) => {
      const entry = entries[i]!;
      op.check(entry);
      if (write.kind === "delete") trashed.push(_addDelete(op, keys, write.path, entry.value!));
      else parts.push(..._addPut(op, keys, write, { entry, ahead }));
    });
    for (let at = 0; at < parts.length; at += PARTS_PER_OPERATION) {
      const batch = kv.atomic();
      for (const { key, value } of parts.slice(at, at + PARTS_PER_OPERATION)) batch.set(key, value);
      await commitAtomic(batch, errors);
    }
    let result: Deno.KvCommitResult | Deno.KvCommitError;
    try {
      result = await commitAtomic(op, errors);
    } catch (error) {
      if (!isKvLimitError(error)) throw error;
      await _remove(context, parts);
      throw _tooLarge(paths, dataBytes, error);
    }
    if (result.ok) {
      for (const trash of trashed) await _sweep(context, trash);
      return true;
    }
    await _remove(context, parts);
  }
}

/** Adds a delete's mutations; returns the generation it trashes. */
function _addDelete(
  op: Deno.AtomicOperation,
  keys: KeySpace,
  path: string,
  stored: StoredRecord,
): _Trash {
  op.delete(keys.record(path)).delete(keys.generation(path)).delete(keys.accessed(path));
  op.delete(keys.bytes(path)).delete(keys.chunkCount(path));
  op.set(keys.trash(path, stored.generation), true);
  return { path, generation: stored.generation };
}

/**
 * Adds a put's mutations: the record, the size counters, each chunk's
 * header, and its parts too unless `ahead`; returns the parts to write
 * ahead.
 */
function _addPut(
  op: Deno.AtomicOperation,
  keys: KeySpace,
  write: Extract<StreamWrite, { kind: "put" }>,
  how: { entry: Deno.KvEntryMaybe<StoredRecord>; ahead: boolean },
): KvPut[] {
  const { path } = write.record;
  const stored = how.entry.value;
  const generation = stored?.generation ?? _newGeneration();
  op.set(keys.record(path), { record: write.record, generation } satisfies StoredRecord);
  const bytes = BigInt(_bytesOf(write));
  const count = BigInt(write.chunks.length);
  if (stored === null) {
    op.set(keys.generation(path), generation);
    op.set(keys.bytes(path), new Deno.KvU64(bytes));
    op.set(keys.chunkCount(path), new Deno.KvU64(count));
  } else if (count > 0n) {
    op.sum(keys.bytes(path), bytes).sum(keys.chunkCount(path), count);
  }
  const ahead: KvPut[] = [];
  for (const chunk of write.chunks) {
    const { header, parts } = storedChunk(keys, { chunk, path, generation, inline: !how.ahead });
    op.set(header.key, header.value);
    if (how.ahead) ahead.push(...parts);
    else for (const part of parts) op.set(part.key, part.value);
  }
  return ahead;
}

/** Removes parts written ahead of a commit that did not happen. */
async function _remove(context: KvContext, parts: readonly KvPut[]): Promise<void> {
  for (let at = 0; at < parts.length; at += DELETES_PER_BATCH) {
    const op = context.kv.atomic();
    for (const { key } of parts.slice(at, at + DELETES_PER_BATCH)) op.delete(key);
    await commitAtomic(op, context.errors);
  }
}

/**
 * Sweeps a deleted generation. The delete is committed by then, so a
 * failure here does not undo it: the trash marker stays, and the next
 * store opened on the file sweeps it.
 */
async function _sweep(context: KvContext, trash: _Trash): Promise<void> {
  try {
    await sweepGeneration(context, trash);
  } catch (error) {
    console.error(
      `Cannot remove the chunks of deleted stream ${
        JSON.stringify(trash.path)
      } yet; the next store opened on this file removes them:`,
      error,
    );
  }
}

function _tooLarge(paths: readonly string[], bytes: number, cause: TypeError): NetScriptError {
  return new NetScriptError<StreamsCoreErrorCode>(
    "STREAMS_PAYLOAD_TOO_LARGE",
    `Cannot commit to ${
      paths.map((path) => JSON.stringify(path)).join(", ")
    } in one Deno KV operation: ${cause.message}; commit at most about 900 chunks at a time, and keep a stream's record (its producer ids) under 64 KiB`,
    { details: { paths, bytes }, cause },
  );
}

function _bytesOf(write: StreamWrite): number {
  return write.kind === "put"
    ? write.chunks.reduce((sum, chunk) => sum + chunk.data.byteLength, 0)
    : 0;
}

function _pathOf(write: StreamWrite): string {
  return write.kind === "put" ? write.record.path : write.path;
}

function _newGeneration(): string {
  return crypto.randomUUID().replaceAll("-", "").slice(0, 16);
}
