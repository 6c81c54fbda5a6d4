import { equal, ok, throws } from "node:assert/strict";
import { isNetScriptError } from "@netscript/contracts/errors";
import { envFrom } from "@netscript/runtime";
import type { TriggersPluginErrorCode } from "../triggers_error_codes.ts";
import { resolveStreamsUrl } from "./streams_url.ts";

Deno.test("resolveStreamsUrl() reads streams-api's URL from the discovery variables", () => {
  equal(
    resolveStreamsUrl(envFrom({ "services__streams-api__http__0": "http://localhost:8095/" }), [
      "order-placed",
    ]),
    "http://localhost:8095",
  );
  equal(
    resolveStreamsUrl(envFrom({ STREAMS_API_HTTP: "http://127.0.0.1:9000" }), ["order-placed"]),
    "http://127.0.0.1:9000",
  );
});

Deno.test("resolveStreamsUrl() without streams-api says to add the streams plugin", () => {
  throws(
    () => resolveStreamsUrl(envFrom({}), ["order-placed", "payment-made"]),
    (error: unknown) => {
      ok(
        isNetScriptError<TriggersPluginErrorCode>(error, "TRIGGERS_STREAMS_MISSING"),
        String(error),
      );
      ok(error.message.includes('"order-placed", "payment-made"'), error.message);
      ok(error.message.includes("netscript plugin add streams"), error.message);
      return true;
    },
  );
});

Deno.test("resolveStreamsUrl() refuses a discovery variable that is not an http URL", () => {
  throws(
    () => resolveStreamsUrl(envFrom({ "services__streams-api__http__0": "tcp://streams" }), ["x"]),
    (error: unknown) => isNetScriptError(error, "SERVICE_URL_INVALID"),
  );
});
