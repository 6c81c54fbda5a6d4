/**
 * How the KV saga store keeps a text (an input, a result, a payload, an
 * output, an error): inline in its record when short, else as UTF-8 bytes
 * in parts of at most 65,000 bytes under KV's 65,536-byte value limit,
 * written and deleted in the same atomic operation as the record that
 * names them. Each written text gets a new tag in its parts' keys, so a
 * reader that finds a part missing knows the text was replaced meanwhile
 * and reads again.
 *
 * @module
 */
import { readMany } from "@netscript/store/kv";
import type { KeySpace } from "./_key_space.ts";

/** A text kept in parts: the tag in their keys and how many there are. */
export interface SplitText {
  /** The tag in the parts' keys, new with each write. */
  readonly tag: string;
  /** How many parts. */
  readonly parts: number;
}

/** A text as a record keeps it: inline, in parts, or none. */
export type StoredText = string | null | SplitText;

/**
 * The longest text kept inline, in UTF-16 code units: at two bytes each
 * (how KV serialises a string with any character over U+00FF), three such
 * texts in one record stay under the value limit.
 */
const INLINE_UNITS = 8_192;

/** The bytes of each part, under KV's 65,536-byte value limit. */
const PART_BYTES = 65_000;

const _encoder = new TextEncoder();
const _decoder = new TextDecoder();

/**
 * Adds the writes that keep `text` in place of `before` to `op`: the
 * parts of `before` are deleted, and the parts of `text` set when it is
 * too long to keep inline.
 *
 * @param op The atomic operation that also writes the record naming the text.
 * @param keys The key space.
 * @param id The saga the text belongs to.
 * @param before The text as kept until now (`null` for none).
 * @param text The new text.
 * @returns What the record keeps for it.
 */
export function writeText(
  op: Deno.AtomicOperation,
  keys: KeySpace,
  id: string,
  before: StoredText,
  text: string | null,
): StoredText {
  dropText(op, keys, id, before);
  if (text === null || text.length <= INLINE_UNITS) return text;
  const bytes = _encoder.encode(text);
  const tag = crypto.randomUUID();
  let parts = 0;
  for (let at = 0; at < bytes.byteLength; at += PART_BYTES) {
    op.set(keys.part(id, tag, parts++), bytes.subarray(at, at + PART_BYTES));
  }
  return { tag, parts };
}

/**
 * Adds the deletes of a text's parts to `op`, when it has parts.
 *
 * @param op The atomic operation.
 * @param keys The key space.
 * @param id The saga the text belongs to.
 * @param stored The text as kept.
 */
export function dropText(
  op: Deno.AtomicOperation,
  keys: KeySpace,
  id: string,
  stored: StoredText,
): void {
  if (!_isSplit(stored)) return;
  for (let n = 0; n < stored.parts; n++) op.delete(keys.part(id, stored.tag, n));
}

/**
 * Reads texts of one saga, their parts together.
 *
 * @param kv The store.
 * @param keys The key space.
 * @param id The saga the texts belong to.
 * @param texts The texts as their records keep them.
 * @returns The texts, in order; `undefined` when a part is gone (the
 * record was replaced since it was read: read it again).
 */
export async function readTexts(
  kv: Deno.Kv,
  keys: KeySpace,
  id: string,
  texts: readonly StoredText[],
): Promise<(string | null)[] | undefined> {
  const partKeys = texts.flatMap((text) =>
    _isSplit(text) ? Array.from({ length: text.parts }, (_, n) => keys.part(id, text.tag, n)) : []
  );
  const parts = partKeys.length === 0 ? [] : await readMany<Uint8Array>(kv, partKeys);
  if (parts.some(({ value }) => value === null)) return undefined;
  let next = 0;
  return texts.map((text) => {
    if (!_isSplit(text)) return text;
    const chunks = parts.slice(next, next += text.parts).map(({ value }) => value!);
    const bytes = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0));
    let at = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, at);
      at += chunk.byteLength;
    }
    return _decoder.decode(bytes);
  });
}

function _isSplit(text: StoredText): text is SplitText {
  return text !== null && typeof text === "object";
}
