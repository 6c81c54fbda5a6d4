import { deepEqual, throws } from "node:assert/strict";
import { isNetScriptError } from "@netscript/contracts/errors";
import { envFrom, readProcessorSettings, SHUTDOWN_GRACE_MS } from "./mod.ts";

Deno.test("readProcessorSettings() reads <PREFIX>_LOG_LEVEL and WORKER_CONCURRENCY", () => {
  deepEqual(readProcessorSettings({ prefix: "WORKERS", env: envFrom({}) }), {
    logLevel: "info",
    concurrency: 1,
    shutdownGraceMs: SHUTDOWN_GRACE_MS,
  });
  deepEqual(
    readProcessorSettings({
      prefix: "ORDER_SYNC",
      env: envFrom({ ORDER_SYNC_LOG_LEVEL: "debug", WORKER_CONCURRENCY: "16" }),
    }),
    { logLevel: "debug", concurrency: 16, shutdownGraceMs: 3_000 },
  );
});

Deno.test("readProcessorSettings() refuses what it cannot use, naming the variable", () => {
  for (
    const [env, variable] of [
      [{ WORKER_CONCURRENCY: "abc" }, "WORKER_CONCURRENCY"],
      [{ WORKER_CONCURRENCY: "1001" }, "WORKER_CONCURRENCY"],
      [{ WORKERS_LOG_LEVEL: "loud" }, "WORKERS_LOG_LEVEL"],
    ] as const
  ) {
    throws(
      () => readProcessorSettings({ prefix: "WORKERS", env: envFrom(env) }),
      (error) =>
        isNetScriptError(error, "RUNTIME_INVALID_SETTING") && error.details.variable === variable,
    );
  }
});

Deno.test("the shutdown grace leaves room below netscript dev's 5 s before SIGKILL", () => {
  deepEqual(SHUTDOWN_GRACE_MS < 5_000, true);
});
