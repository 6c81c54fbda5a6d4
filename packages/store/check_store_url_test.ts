import { equal, ok, throws } from "node:assert/strict";
import { isNetScriptError } from "@netscript/contracts/errors";
import { checkStoreUrl } from "./check_store_url.ts";

/** Checks a `STORE_INVALID` error that must not quote the password. */
function invalidWithoutPassword(error: unknown): true {
  ok(isNetScriptError(error, "STORE_INVALID"), String(error));
  const text = JSON.stringify({ message: error.message, details: error.details });
  ok(!text.includes("3t"), `the password is left out: ${text}`);
  return true;
}

Deno.test("checkStoreUrl() passes a URL its driver parses", () => {
  const url = "postgresql://app:s3cr3t@db:5432/app";
  equal(checkStoreUrl(url, { driver: "postgres", store: "the job store" }), url);
  equal(
    checkStoreUrl("redis://:s3cr3t@127.0.0.1:6379/0", { driver: "redis", store: "the job store" }),
    "redis://:s3cr3t@127.0.0.1:6379/0",
  );
});

Deno.test("checkStoreUrl() refuses a URL its driver cannot parse with STORE_INVALID, without its password", () => {
  for (
    const url of ["postgres://app:s3cr3t@127.0.0.1:port/app", "postgres://app:s3/cr3t@[db/app"]
  ) {
    throws(
      () => checkStoreUrl(url, { driver: "postgres", store: "the job store" }),
      invalidWithoutPassword,
    );
  }
  throws(
    () =>
      checkStoreUrl("redis://:s3cr3t@127.0.0.1:port/0", {
        driver: "redis",
        store: "the job store",
      }),
    invalidWithoutPassword,
  );
});
