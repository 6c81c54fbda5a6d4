/**
 * Reading a stream's chunks from Deno KV.
 *
 * @module
 */
import type { StreamChunk } from "../../ports/stream_store.ts";
import type { KvContext } from "./_kv_context.ts";
import { ChunkAssembler } from "./_stored_chunk.ts";

/** Entries per page of a chunk listing: up to 2 MiB of parts. */
const PAGE_ENTRIES = 32;

/**
 * Reads a stream's chunks that end after `from`, in order, stopping before
 * a chunk that would take the read past `maxBytes` (the first one always
 * comes). A read that finds a chunk torn by retention running meanwhile
 * starts again.
 *
 * @param context The handle, keys and error names.
 * @param read The stream's path, the first position wanted and the byte budget.
 * @returns The chunks; empty when the stream does not exist.
 */
export async function readChunksFrom(
  context: KvContext,
  read: { path: string; from: number; maxBytes: number },
): Promise<StreamChunk[]> {
  for (;;) {
    const generation = (await context.kv.get<string>(context.keys.generation(read.path))).value;
    if (generation === null) return [];
    const found = await _readGeneration(context, generation, read);
    if (found !== undefined) return found;
  }
}

/** Reads one generation's chunks; `undefined` when one was torn meanwhile. */
async function _readGeneration(
  { kv, keys }: KvContext,
  generation: string,
  read: { path: string; from: number; maxBytes: number },
): Promise<StreamChunk[] | undefined> {
  const prefix = keys.chunks(read.path, generation);
  const assembler = new ChunkAssembler(prefix);
  const found: StreamChunk[] = [];
  let bytes = 0;
  const entries = kv.list(
    { prefix, start: keys.chunksAfter(read.path, generation, read.from) },
    { batchSize: PAGE_ENTRIES },
  );
  for await (const entry of entries) {
    const chunk = assembler.add(entry);
    if (assembler.torn) return undefined;
    if (chunk === undefined) continue;
    if (found.length > 0 && bytes + chunk.data.byteLength > read.maxBytes) return found;
    found.push(chunk);
    bytes += chunk.data.byteLength;
  }
  return assembler.finish() ? found : undefined;
}
