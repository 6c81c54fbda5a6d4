/**
 * Live-read cursors (`Stream-Cursor`, `streamCursor`): the number of
 * 20-second intervals since 2024-10-09T00:00:00Z, moved past the client's
 * cursor with random jitter when the client is already at or beyond it, so
 * cached responses never repeat forever.
 *
 * @module
 */

const _EPOCH = Date.UTC(2024, 9, 9);
const _INTERVAL_MS = 20_000;
const _MAX_JITTER_INTERVALS = 180;

/**
 * The cursor for a live response.
 *
 * @param clientCursor The `cursor` query parameter the client echoed, or `null`.
 * @param now Milliseconds since the epoch.
 * @param random A source of numbers in `[0, 1)`.
 * @returns A decimal cursor, greater than the client's when it sent one.
 */
export function nextCursor(
  clientCursor: string | null,
  now: number,
  random: () => number = Math.random,
): string {
  const current = Math.floor((now - _EPOCH) / _INTERVAL_MS);
  const client = clientCursor !== null && /^\d{1,15}$/.test(clientCursor)
    ? Number(clientCursor)
    : -1;
  if (client < current) return String(current);
  return String(client + 1 + Math.floor(random() * _MAX_JITTER_INTERVALS));
}
