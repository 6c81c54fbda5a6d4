const P1 = 2654435761;
const P2 = 2246822519;
const P3 = 3266489917;
const P4 = 668265263;
const P5 = 374761393;

const rotl = (x: number, r: number) => ((x << r) | (x >>> (32 - r))) >>> 0;
const mul = (a: number, b: number) => Math.imul(a, b) >>> 0;
const add = (a: number, b: number) => (a + b) >>> 0;
const round = (acc: number, lane: number) => mul(rotl(add(acc, mul(lane, P2)), 13), P1);

/**
 * xxHash32 with seed 0, as .NET's `XxHash32`, which Aspire uses to name a
 * conditional expression in the manifest (`cond-<expression>-<hash>`).
 *
 * @param bytes The input.
 * @returns The hash as 8 lowercase hex digits (big-endian, like `Convert.ToHexString`).
 *
 * @example
 * ```ts
 * import { xxHash32 } from "./xxhash32.ts";
 *
 * console.log(xxHash32(new TextEncoder().encode(""))); // "02cc5d05"
 * ```
 */
export function xxHash32(bytes: Uint8Array): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = bytes.length;
  let i = 0;
  let hash: number;
  if (length >= 16) {
    const acc = [add(P1, P2), P2, 0, (0 - P1) >>> 0];
    for (; i + 16 <= length; i += 16) {
      for (let lane = 0; lane < 4; lane++) {
        acc[lane] = round(acc[lane]!, view.getUint32(i + 4 * lane, true));
      }
    }
    hash = add(add(rotl(acc[0]!, 1), rotl(acc[1]!, 7)), add(rotl(acc[2]!, 12), rotl(acc[3]!, 18)));
  } else {
    hash = P5;
  }
  hash = add(hash, length);
  for (; i + 4 <= length; i += 4) {
    hash = mul(rotl(add(hash, mul(view.getUint32(i, true), P3)), 17), P4);
  }
  for (; i < length; i++) hash = mul(rotl(add(hash, mul(bytes[i]!, P5)), 11), P1);
  hash = mul(hash ^ (hash >>> 15), P2);
  hash = mul(hash ^ (hash >>> 13), P3);
  hash = (hash ^ (hash >>> 16)) >>> 0;
  return hash.toString(16).padStart(8, "0");
}
