/**
 * Removing many keys: a deleted stream's chunks (its trashed generation)
 * and the chunks retention drops, in batches that stay under Deno KV's
 * limits on one atomic operation.
 *
 * @module
 */
import { commitAtomic } from "@netscript/store/kv";
import type { KvContext } from "./_kv_context.ts";
import { DELETES_PER_BATCH, encodedKeySize, KEY_BYTES_PER_BATCH } from "./_kv_limits.ts";
import type { ChunkHeader } from "./_stored_chunk.ts";

/** The keys one batch deletes, and the chunks whose headers are among them. */
interface _Batch {
  /** The keys: headers and parts. */
  readonly keys: Deno.KvKey[];
  /** How many headers. */
  readonly chunks: number;
  /** The bytes of those chunks. */
  readonly bytes: number;
}

/**
 * Removes every chunk of a deleted generation, then its trash marker. Safe
 * to run twice at once (two processes sweeping the same marker).
 *
 * @param context The handle, keys and error names.
 * @param trash The path and generation of a trash marker.
 */
export async function sweepGeneration(
  context: KvContext,
  trash: { path: string; generation: string },
): Promise<void> {
  const { kv, keys, errors } = context;
  const prefix = keys.chunks(trash.path, trash.generation);
  for (;;) {
    const batch = await _listBatch(kv, { prefix });
    if (batch.keys.length === 0) break;
    const op = kv.atomic();
    for (const key of batch.keys) op.delete(key);
    await commitAtomic(op, errors);
  }
  await commitAtomic(kv.atomic().delete(keys.trash(trash.path, trash.generation)), errors);
}

/**
 * Sweeps every generation left in the trash, by a process that stopped
 * before it had swept what it deleted.
 *
 * @param context The handle, keys and error names.
 */
export async function sweepTrash(context: KvContext): Promise<void> {
  const { kv, keys } = context;
  const trashed: { path: string; generation: string }[] = [];
  for await (const entry of kv.list({ prefix: keys.trashed })) {
    const [path, generation] = entry.key.slice(-2) as [string, string];
    trashed.push({ path, generation });
  }
  for (const trash of trashed) await sweepGeneration(context, trash);
}

/**
 * Drops a stream's chunks that end at or before `before`, a batch at a
 * time. Each batch checks the stream's generation, so it never touches a
 * stream deleted (or deleted and created again) meanwhile, and lowers the
 * size counters in the same operation.
 *
 * @param context The handle, keys and error names.
 * @param target The stream's path and the position below which chunks go.
 * @returns How many chunks were dropped.
 */
export async function dropChunksBefore(
  context: KvContext,
  target: { path: string; before: number },
): Promise<number> {
  const { kv, keys, errors } = context;
  const { path, before } = target;
  let dropped = 0;
  for (;;) {
    const generation = await kv.get<string>(keys.generation(path));
    if (generation.value === null) return dropped;
    const batch = await _listBatch(kv, {
      prefix: keys.chunks(path, generation.value),
      end: keys.chunksAfter(path, generation.value, before),
    });
    if (batch.keys.length === 0) return dropped;
    const op = kv.atomic().check(generation);
    for (const key of batch.keys) op.delete(key);
    if (batch.chunks > 0) {
      op.sum(keys.bytes(path), _negative(batch.bytes));
      op.sum(keys.chunkCount(path), _negative(batch.chunks));
    }
    if (!(await commitAtomic(op, errors)).ok) return dropped;
    dropped += batch.chunks;
  }
}

/**
 * Lists the first keys under a selector that one batch may delete: whole
 * chunks (a header and its parts, which sort after it), and the first
 * chunk alone, header first, when it is larger than a batch; its parts
 * left over are never read without their header.
 */
async function _listBatch(
  kv: Deno.Kv,
  selector: { prefix: Deno.KvKey; end?: Deno.KvKey },
): Promise<_Batch> {
  const depth = selector.prefix.length + 1;
  const keys: Deno.KvKey[] = [];
  let counted = { chunks: 0, bytes: 0 };
  let keyBytes = 0;
  let whole = { keys: 0, ...counted };
  let end: unknown;
  const iterator = kv.list<unknown>(selector as Deno.KvListSelector, { batchSize: 64 });
  for await (const entry of iterator) {
    if (entry.key[depth - 1] !== end) {
      end = entry.key[depth - 1];
      whole = { keys: keys.length, ...counted };
    }
    const size = encodedKeySize(entry.key);
    if (keys.length + 1 > DELETES_PER_BATCH || keyBytes + size > KEY_BYTES_PER_BATCH) {
      return whole.keys > 0 ? { ...whole, keys: keys.slice(0, whole.keys) } : { keys, ...counted };
    }
    keys.push(entry.key);
    keyBytes += size;
    if (entry.key.length === depth) {
      counted = {
        chunks: counted.chunks + 1,
        bytes: counted.bytes + (entry.value as ChunkHeader).bytes,
      };
    }
  }
  return { keys, ...counted };
}

/** `-n` as KV's wrapping 64-bit sum reads it. */
function _negative(n: number): bigint {
  return ((1n << 64n) - BigInt(n)) % (1n << 64n);
}
