/**
 * Record ids that sort by age, for stores that list records in the order
 * they were made: UUIDv7 (RFC 9562), whose first 48 bits are the Unix time
 * in ms and whose next 12 bits count up within one ms in this process, so
 * ids made here are strictly increasing. Across processes, ids of the same
 * ms are in random order.
 *
 * @module
 */

let lastMs = 0;
let counter = 0;

/**
 * Makes the next id.
 *
 * @param nowMs The current time in ms.
 * @returns A UUIDv7 greater than any this process made before.
 *
 * @example
 * ```ts
 * import { createTimeOrderedId } from "@netscript/store";
 *
 * const first = createTimeOrderedId(Date.now());
 * console.log(first < createTimeOrderedId(Date.now())); // true
 * ```
 */
export function createTimeOrderedId(nowMs: number): string {
  if (nowMs > lastMs) {
    lastMs = nowMs;
    counter = Math.floor(Math.random() * 0x800);
  } else if (++counter > 0xfff) {
    lastMs++;
    counter = 0;
  }
  return _uuid(lastMs, counter, crypto.getRandomValues(new Uint8Array(16)));
}

/**
 * The smallest id {@linkcode createTimeOrderedId} can make at `ms` or
 * later: every id made before `ms` sorts below it.
 *
 * @param ms A time in ms.
 * @returns The bound.
 *
 * @example
 * ```ts
 * import { createTimeOrderedId, firstTimeOrderedIdAt } from "@netscript/store";
 *
 * const earlier = createTimeOrderedId(1_000);
 * console.log(earlier < firstTimeOrderedIdAt(2_000)); // true
 * ```
 */
export function firstTimeOrderedIdAt(ms: number): string {
  return _uuid(ms, 0, new Uint8Array(16));
}

function _uuid(ms: number, count: number, bytes: Uint8Array): string {
  for (let i = 5; i >= 0; i--) {
    bytes[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  bytes[6] = 0x70 | (count >> 8);
  bytes[7] = count & 0xff;
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${
    hex.slice(20)
  }`;
}
