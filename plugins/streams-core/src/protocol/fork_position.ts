/**
 * Where a fork diverges from its source: the fork offset, refined by a
 * sub-offset that counts bytes (or JSON messages) into the append that
 * holds the offset.
 *
 * @module
 */

import { NetScriptError } from "@netscript/contracts/errors";
import type { StreamRecord } from "../ports/stream_store.ts";
import type { StreamsCoreErrorCode } from "../streams_error_codes.ts";
import type { ProtocolContext } from "./context.ts";
import type { RequestedOffset } from "./offsets.ts";
import { nextBoundary } from "./read_range.ts";

/** Where a new stream forks from. */
export interface ForkRequest {
  /** The source stream's path. */
  source: string;
  /** The divergence offset (`Stream-Fork-Offset`); the source's tail when `null`. */
  offset: RequestedOffset | null;
  /** Units past `offset` to inherit as well (`Stream-Fork-Sub-Offset`). */
  subOffset: number;
}

/**
 * Resolves where a fork diverges from its source: the fork offset (the
 * source's tail when absent) plus the sub-offset, which may not reach past
 * the end of the append holding the fork offset.
 *
 * @param context The protocol context.
 * @param source The source stream.
 * @param fork The fork's headers.
 * @returns The fork position.
 * @throws {NetScriptError} `STREAMS_INVALID_OFFSET` past the source's tail, `STREAMS_OFFSET_GONE` before its retained data, `STREAMS_INVALID_HEADER` for a sub-offset past the append's end.
 */
export async function resolveForkPosition(
  context: ProtocolContext,
  source: StreamRecord,
  fork: ForkRequest,
): Promise<number> {
  const offset = fork.offset ?? { kind: "now" };
  const anchor = offset.kind === "start"
    ? 0
    : offset.kind === "now"
    ? source.tail
    : offset.position;
  if (anchor > source.tail) {
    throw new NetScriptError<StreamsCoreErrorCode>(
      "STREAMS_INVALID_OFFSET",
      `Cannot fork stream "${source.path}" at position ${anchor}: it ends at ${source.tail}; fork at an offset it returned`,
      { details: { source: source.path, position: anchor, tail: source.tail } },
    );
  }
  if (anchor < source.trimmedTo) {
    throw new NetScriptError<StreamsCoreErrorCode>(
      "STREAMS_OFFSET_GONE",
      `Cannot fork stream "${source.path}" at position ${anchor}: retention dropped the data before ${source.trimmedTo}`,
      { details: { source: source.path, position: anchor, trimmedTo: source.trimmedTo } },
    );
  }
  if (fork.subOffset === 0) return anchor;
  const boundary = await nextBoundary(context, source, anchor);
  if (anchor + fork.subOffset > boundary) {
    throw new NetScriptError<StreamsCoreErrorCode>(
      "STREAMS_INVALID_HEADER",
      `Cannot fork stream "${source.path}" with Stream-Fork-Sub-Offset ${fork.subOffset}: only ${
        boundary - anchor
      } units follow the fork offset before the next append's end`,
      { details: { source: source.path, subOffset: fork.subOffset, available: boundary - anchor } },
    );
  }
  return anchor + fork.subOffset;
}
