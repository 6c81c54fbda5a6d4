import { ok, rejects, throws } from "node:assert/strict";
import { isNetScriptError } from "@netscript/contracts/errors";
import { createPostgresJobQueue } from "./postgres/mod.ts";
import { createRedisJobQueue } from "./redis/mod.ts";

/** Checks a `STORE_INVALID` error that must not quote the password. */
function invalidWithoutPassword(error: unknown): true {
  ok(isNetScriptError(error, "STORE_INVALID"), String(error));
  const text = JSON.stringify({ message: error.message, details: error.details });
  ok(!text.includes("3t"), `the password is left out: ${text}`);
  return true;
}

Deno.test("createPostgresJobQueue() refuses a malformed URL with STORE_INVALID, without its password", () => {
  for (
    const url of ["postgres://app:s3cr3t@127.0.0.1:port/app", "postgres://app:s3/cr3t@[db/app"]
  ) {
    throws(() => createPostgresJobQueue({ url }), invalidWithoutPassword);
  }
});

Deno.test("createRedisJobQueue() refuses a malformed URL with STORE_INVALID, without its password", async () => {
  await rejects(
    createRedisJobQueue({ url: "redis://:s3cr3t@127.0.0.1:port/0" }),
    invalidWithoutPassword,
  );
});
