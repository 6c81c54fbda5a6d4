import { deepEqual, equal, throws } from "node:assert/strict";
import fc from "fast-check";
import { isNetScriptError } from "@netscript/contracts/errors";
import {
  decodeJsonChunk,
  encodeJsonChunk,
  parseJsonMessages,
  splitJsonArray,
} from "./json_messages.ts";

const bytes = (text: string) => new TextEncoder().encode(text);

Deno.test("parseJsonMessages() flattens exactly one level of array", () => {
  deepEqual(parseJsonMessages(bytes('{"a":1}'), { allowEmptyArray: false }), ['{"a":1}']);
  deepEqual(parseJsonMessages(bytes('[{"a":1}, {"b":2}]'), { allowEmptyArray: false }), [
    '{"a":1}',
    '{"b":2}',
  ]);
  deepEqual(parseJsonMessages(bytes("[[1,2],[3,4]]"), { allowEmptyArray: false }), [
    "[1,2]",
    "[3,4]",
  ]);
  deepEqual(parseJsonMessages(bytes("[[[1,2,3]]]"), { allowEmptyArray: false }), ["[[1,2,3]]"]);
});

Deno.test("parseJsonMessages() keeps each message's text as sent, so big numbers survive", () => {
  deepEqual(
    parseJsonMessages(bytes('[12345678901234567890, 1.50, "a,]\\"b"]'), { allowEmptyArray: false }),
    ["12345678901234567890", "1.50", '"a,]\\"b"'],
  );
});

Deno.test("parseJsonMessages() refuses invalid JSON and empty arrays with STREAMS_INVALID_BODY", () => {
  const invalid = (error: unknown) => isNetScriptError(error, "STREAMS_INVALID_BODY");
  throws(() => parseJsonMessages(bytes("{ invalid json }"), { allowEmptyArray: false }), invalid);
  throws(
    () => parseJsonMessages(new Uint8Array([0xff, 0xfe]), { allowEmptyArray: false }),
    invalid,
  );
  throws(() => parseJsonMessages(bytes("[ ]"), { allowEmptyArray: false }), invalid);
  deepEqual(parseJsonMessages(bytes("[]"), { allowEmptyArray: true }), []);
});

Deno.test("splitJsonArray() finds the elements of any JSON array, however nested or spaced", () => {
  fc.assert(fc.property(fc.array(fc.jsonValue()), fc.boolean(), (values, pretty) => {
    const text = JSON.stringify(values, null, pretty ? 2 : undefined);
    const elements = splitJsonArray(text);
    equal(elements.length, values.length);
    deepEqual(elements.map((element) => JSON.parse(element)), JSON.parse(text));
  }));
});

Deno.test("a JSON chunk holds its messages as one JSON array", () => {
  const chunk = encodeJsonChunk(['{"a":1}', "2"]);
  equal(new TextDecoder().decode(chunk), '[{"a":1},2]');
  deepEqual(decodeJsonChunk(chunk), ['{"a":1}', "2"]);
});
