/**
 * Server-sent events for live reads: `data` events carrying a read's
 * payload (text, or base64 for binary streams), each followed by a
 * `control` event with the next offset, the cursor and the up-to-date and
 * closed flags. Every line of a payload gets its own `data:` field, so a
 * payload can never end an event or start a forged one.
 *
 * @module
 */

/** The fields of a `control` event. */
export interface ControlEvent {
  /** The offset to resume from. */
  streamNextOffset: string;
  /** The cursor, while the stream is open. */
  streamCursor?: string;
  /** Present when the reader has everything the stream holds. */
  upToDate?: true;
  /** Present when the stream is closed and everything was sent. */
  streamClosed?: true;
}

/**
 * Formats a `data` event.
 *
 * @param payload The text to carry (already base64 for binary streams).
 * @returns The event's text.
 */
export function formatDataEvent(payload: string): string {
  const lines = payload.split(/\r\n|\r|\n/).map((line) => `data:${line}`);
  return `event: data\n${lines.join("\n")}\n\n`;
}

/**
 * Formats a `control` event.
 *
 * @param control The control fields.
 * @returns The event's text.
 */
export function formatControlEvent(control: ControlEvent): string {
  return `event: control\ndata:${JSON.stringify(control)}\n\n`;
}

/**
 * Encodes bytes as standard base64 (RFC 4648, with padding).
 *
 * @param bytes The bytes.
 * @returns The base64 text; empty for no bytes.
 */
export function encodeBase64(bytes: Uint8Array): string {
  let binary = "";
  const step = 0x8000;
  for (let index = 0; index < bytes.length; index += step) {
    binary += String.fromCharCode(...bytes.subarray(index, index + step));
  }
  return btoa(binary);
}
