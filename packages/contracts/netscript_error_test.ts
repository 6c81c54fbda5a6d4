import { deepEqual, ok } from "node:assert/strict";
import { isNetScriptError, NetScriptError } from "./mod.ts";

Deno.test("NetScriptError carries code, message and frozen details", () => {
  const error = new NetScriptError("PLUGIN_DUPLICATE_NAME", 'Cannot register plugin "a"', {
    details: { plugin: "a" },
  });
  deepEqual(error.code, "PLUGIN_DUPLICATE_NAME");
  deepEqual(error.message, 'Cannot register plugin "a"');
  deepEqual(error.name, "NetScriptError");
  ok(Object.isFrozen(error.details));
  ok(error instanceof Error);
});

Deno.test("NetScriptError serialises to JSON without the stack", () => {
  const cause = new Error("low level");
  const error = new NetScriptError("X", "High level", { details: { value: 1 }, cause });
  deepEqual(JSON.parse(JSON.stringify(error)), {
    name: "NetScriptError",
    code: "X",
    message: "High level",
    details: { value: 1 },
  });
  deepEqual(error.cause, cause);
});

Deno.test("NetScriptError subclasses keep their own name", () => {
  class StreamUnsupportedOperationError extends NetScriptError {}
  const error = new StreamUnsupportedOperationError("STREAM_UNSUPPORTED", "No");
  deepEqual(error.name, "StreamUnsupportedOperationError");
  ok(isNetScriptError(error, "STREAM_UNSUPPORTED"));
});

Deno.test("isNetScriptError() checks the type and, when given, the code", () => {
  const error = new NetScriptError("A", "a");
  ok(isNetScriptError(error));
  ok(isNetScriptError(error, "A"));
  ok(!isNetScriptError(error, "B"));
  ok(!isNetScriptError(new Error("plain")));
  ok(!isNetScriptError({ code: "A" }));
});
