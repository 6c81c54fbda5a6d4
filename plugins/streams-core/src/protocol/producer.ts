/**
 * Idempotent producers: the rule that decides, from a producer's stored
 * state, whether a write with `(epoch, seq)` is new, a retry, fenced, a
 * gap, or a bad epoch start.
 *
 * @module
 */

import { NetScriptError } from "@netscript/contracts/errors";
import type { ProducerState } from "../ports/stream_store.ts";
import type { StreamsCoreErrorCode } from "../streams_error_codes.ts";

/** An idempotent producer's headers on one write. */
export interface ProducerWrite {
  /** The producer's id (`Producer-Id`). */
  id: string;
  /** Its epoch (`Producer-Epoch`). */
  epoch: number;
  /** The write's sequence number in the epoch (`Producer-Seq`). */
  seq: number;
}

/** What to do with a producer's write. */
export type ProducerDecision =
  | { kind: "accept" }
  | { kind: "duplicate"; highestSeq: number };

/**
 * Decides a producer's write against its stored state.
 *
 * @param state The producer's state on the stream, if it wrote before.
 * @param write The write's producer headers.
 * @returns `accept` for the next write, `duplicate` (with the highest accepted sequence number) for a retry.
 * @throws {NetScriptError} `STREAMS_PRODUCER_FENCED` for an older epoch, `STREAMS_PRODUCER_EPOCH_START` for a new epoch not starting at 0, `STREAMS_PRODUCER_SEQ_GAP` for a skipped sequence number.
 */
export function decideProducerWrite(
  state: ProducerState | undefined,
  write: ProducerWrite,
): ProducerDecision {
  if (state && write.epoch < state.epoch) {
    throw new NetScriptError<StreamsCoreErrorCode>(
      "STREAMS_PRODUCER_FENCED",
      `Producer "${write.id}" wrote with epoch ${write.epoch}, but epoch ${state.epoch} owns it now; stop this producer`,
      { details: { producerId: write.id, epoch: write.epoch, currentEpoch: state.epoch } },
    );
  }
  if (!state || write.epoch > state.epoch) {
    if (write.seq === 0) return { kind: "accept" };
    if (state) {
      throw new NetScriptError<StreamsCoreErrorCode>(
        "STREAMS_PRODUCER_EPOCH_START",
        `Producer "${write.id}" started epoch ${write.epoch} at sequence ${write.seq}; a new epoch starts at Producer-Seq 0`,
        { details: { producerId: write.id, epoch: write.epoch, seq: write.seq } },
      );
    }
    return _gap(write, 0);
  }
  if (write.seq <= state.seq) return { kind: "duplicate", highestSeq: state.seq };
  if (write.seq === state.seq + 1) return { kind: "accept" };
  return _gap(write, state.seq + 1);
}

function _gap(write: ProducerWrite, expectedSeq: number): never {
  throw new NetScriptError<StreamsCoreErrorCode>(
    "STREAMS_PRODUCER_SEQ_GAP",
    `Producer "${write.id}" sent sequence ${write.seq} in epoch ${write.epoch}, but the next one is ${expectedSeq}; resend the missing writes in order`,
    { details: { producerId: write.id, expectedSeq, receivedSeq: write.seq } },
  );
}
