import { equal, ok } from "node:assert/strict";
import { isNetScriptError } from "@netscript/contracts/errors";
import { isConnectionFailure, redactPassword, storeUnavailableError } from "./store_errors.ts";

Deno.test("redactPassword() hides the password of a URL and of password= settings", () => {
  equal(
    redactPassword("postgresql://app:s3cret@db.internal:5432/app?sslmode=require"),
    "postgresql://app:***@db.internal:5432/app?sslmode=require",
  );
  equal(redactPassword("postgres://app@db/app"), "postgres://app@db/app", "no password, no change");
  equal(redactPassword("host=db user=app password=s3cret"), "host=db user=app password=***");
  equal(
    redactPassword("postgresql://postgres:postgres@db/app"),
    "postgresql://postgres:***@db/app",
    "only the password goes",
  );
  equal(
    redactPassword("failed for s3cr%40t and s3cr@t", "postgresql://app:s3cr%40t@db/app"),
    "failed for *** and ***",
    "the password in a message, raw or decoded",
  );
});

Deno.test("storeUnavailableError() names the store without its password", () => {
  const url = "postgresql://app:s3cret@db:5432/app";
  const error = storeUnavailableError(
    url,
    Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }),
  );
  ok(isNetScriptError(error, "STORE_UNAVAILABLE"));
  ok(error.message.includes("postgresql://app:***@db:5432/app"), error.message);
  ok(!error.message.includes("s3cret"));
  ok(!JSON.stringify(error).includes("s3cret"));
  equal(error.details.code, "ECONNREFUSED");
});

Deno.test("isConnectionFailure() tells connection failures from statement errors", () => {
  ok(isConnectionFailure({ code: "ECONNREFUSED", message: "connect ECONNREFUSED" }));
  ok(isConnectionFailure({ code: "57P01", message: "terminating connection" }));
  ok(isConnectionFailure(new Error("Connection terminated unexpectedly")));
  ok(!isConnectionFailure({ code: "22P02", message: "invalid input syntax" }));
  ok(!isConnectionFailure("boom"));
});
