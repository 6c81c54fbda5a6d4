/**
 * Job ids that sort by age: UUIDv7 (RFC 9562), whose first 48 bits are the
 * Unix time in ms and whose next 12 bits count up within one ms in this
 * process, so ids made here are strictly increasing. Across processes, ids
 * of the same ms are in random order.
 *
 * @module
 */

let lastMs = 0;
let counter = 0;

/**
 * Makes the next job id.
 *
 * @param nowMs The current time in ms.
 * @returns A UUIDv7 greater than any this process made before.
 */
export function createJobId(nowMs: number): string {
  if (nowMs > lastMs) {
    lastMs = nowMs;
    counter = Math.floor(Math.random() * 0x800);
  } else if (++counter > 0xfff) {
    lastMs++;
    counter = 0;
  }
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let ms = lastMs;
  for (let i = 5; i >= 0; i--) {
    bytes[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  bytes[6] = 0x70 | (counter >> 8);
  bytes[7] = counter & 0xff;
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${
    hex.slice(20)
  }`;
}
