import { deepEqual, throws } from "node:assert/strict";
import fc from "fast-check";
import { isNetScriptError } from "@netscript/contracts/errors";
import { decideProducerWrite } from "./producer.ts";

const state = (epoch: number, seq: number) => ({ epoch, seq, updatedAt: 0 });
const write = (epoch: number, seq: number) => ({ id: "p", epoch, seq });

Deno.test("decideProducerWrite() accepts a new producer at seq 0, in any epoch", () => {
  deepEqual(decideProducerWrite(undefined, write(0, 0)), { kind: "accept" });
  deepEqual(decideProducerWrite(undefined, write(6, 0)), { kind: "accept" });
});

Deno.test("decideProducerWrite() accepts the next seq and treats earlier ones as retries", () => {
  deepEqual(decideProducerWrite(state(0, 4), write(0, 5)), { kind: "accept" });
  deepEqual(decideProducerWrite(state(0, 4), write(0, 4)), { kind: "duplicate", highestSeq: 4 });
  deepEqual(decideProducerWrite(state(0, 4), write(0, 1)), { kind: "duplicate", highestSeq: 4 });
});

Deno.test("decideProducerWrite() fences an older epoch with the current one in the details", () => {
  throws(
    () => decideProducerWrite(state(2, 0), write(1, 9)),
    (error) =>
      isNetScriptError(error, "STREAMS_PRODUCER_FENCED") && error.details.currentEpoch === 2,
  );
});

Deno.test("decideProducerWrite() refuses a new epoch that does not start at seq 0", () => {
  deepEqual(decideProducerWrite(state(0, 7), write(1, 0)), { kind: "accept" });
  throws(
    () => decideProducerWrite(state(0, 7), write(1, 3)),
    (error) => isNetScriptError(error, "STREAMS_PRODUCER_EPOCH_START"),
  );
});

Deno.test("decideProducerWrite() reports a gap with the expected and received seq", () => {
  throws(
    () => decideProducerWrite(state(0, 0), write(0, 2)),
    (error) =>
      isNetScriptError(error, "STREAMS_PRODUCER_SEQ_GAP") && error.details.expectedSeq === 1 &&
      error.details.receivedSeq === 2,
  );
  throws(
    () => decideProducerWrite(undefined, write(0, 3)),
    (error) =>
      isNetScriptError(error, "STREAMS_PRODUCER_SEQ_GAP") && error.details.expectedSeq === 0,
  );
});

Deno.test("replaying any run of producer writes in order accepts each seq exactly once", () => {
  fc.assert(fc.property(fc.array(fc.nat(20), { maxLength: 60 }), (seqs) => {
    let current: ReturnType<typeof state> | undefined;
    const accepted: number[] = [];
    for (const seq of seqs) {
      try {
        if (decideProducerWrite(current, write(0, seq)).kind === "accept") {
          accepted.push(seq);
          current = state(0, seq);
        }
      } catch (error) {
        if (!isNetScriptError(error, "STREAMS_PRODUCER_SEQ_GAP")) throw error;
      }
    }
    deepEqual(accepted, accepted.map((_, index) => index));
  }));
});
