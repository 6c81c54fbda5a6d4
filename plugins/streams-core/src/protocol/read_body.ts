/**
 * Reading a request body with a size limit: a body over the limit is
 * refused with `STREAMS_PAYLOAD_TOO_LARGE` (HTTP 413) as soon as the
 * declared length or the bytes received pass it.
 *
 * @module
 */

import { NetScriptError } from "@netscript/contracts/errors";
import type { StreamsCoreErrorCode } from "../streams_error_codes.ts";

/**
 * Reads a request body, refusing one larger than `maxBytes`.
 *
 * @param request The request.
 * @param maxBytes The largest body accepted.
 * @returns The body's bytes; empty when there is none.
 */
export async function readBody(request: Request, maxBytes: number): Promise<Uint8Array> {
  const tooLarge = () =>
    new NetScriptError<StreamsCoreErrorCode>(
      "STREAMS_PAYLOAD_TOO_LARGE",
      `Cannot accept a body over ${maxBytes} bytes; split the data into smaller appends`,
      { details: { maxBytes } },
    );
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) {
    await request.body?.cancel();
    throw tooLarge();
  }
  if (!request.body) return new Uint8Array();
  const parts: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    parts.push(value);
  }
  if (parts.length === 1) return parts[0]!;
  const body = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    body.set(part, offset);
    offset += part.byteLength;
  }
  return body;
}
