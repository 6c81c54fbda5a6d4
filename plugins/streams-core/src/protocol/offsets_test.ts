import { deepEqual, equal, ok, throws } from "node:assert/strict";
import fc from "fast-check";
import { isNetScriptError } from "@netscript/contracts/errors";
import { encodeOffset, parseOffset } from "./offsets.ts";

Deno.test("encodeOffset() and parseOffset() round-trip every position", () => {
  fc.assert(fc.property(fc.maxSafeNat(), (position) => {
    deepEqual(parseOffset(encodeOffset(position)), { kind: "position", position });
  }));
});

Deno.test("offsets compare as strings the way their positions compare as numbers", () => {
  fc.assert(fc.property(fc.maxSafeNat(), fc.maxSafeNat(), (a, b) => {
    const [x, y] = [encodeOffset(a), encodeOffset(b)];
    equal(x.length, y.length);
    equal(Math.sign(x < y ? -1 : x > y ? 1 : 0), Math.sign(a - b));
  }));
});

Deno.test("offsets never contain the characters the protocol reserves, nor the sentinels", () => {
  fc.assert(fc.property(fc.maxSafeNat(), (position) => {
    const offset = encodeOffset(position);
    ok(!/[,&=?/ ]/.test(offset), offset);
    ok(offset !== "-1" && offset !== "now");
  }));
});

Deno.test("parseOffset() reads the sentinels -1 and now", () => {
  deepEqual(parseOffset("-1"), { kind: "start" });
  deepEqual(parseOffset("now"), { kind: "now" });
});

Deno.test("parseOffset() refuses anything the server did not mint, with STREAMS_INVALID_OFFSET", () => {
  fc.assert(fc.property(
    fc.string().filter((text) => text !== "-1" && text !== "now" && !/^0{16}_\d{16}$/.test(text)),
    (text) => {
      throws(() => parseOffset(text), (error) => isNetScriptError(error, "STREAMS_INVALID_OFFSET"));
    },
  ));
  for (
    const text of [
      "",
      "0",
      "0000000000000001_0000000000000000",
      "0000000000000000_9999999999999999",
    ]
  ) {
    throws(
      () => parseOffset(text),
      (error) => isNetScriptError(error, "STREAMS_INVALID_OFFSET"),
      text,
    );
  }
});

Deno.test("encodeOffset() refuses positions that are not non-negative safe integers", () => {
  for (const position of [-1, 1.5, Number.MAX_SAFE_INTEGER + 1, NaN]) {
    throws(() => encodeOffset(position), RangeError);
  }
});
