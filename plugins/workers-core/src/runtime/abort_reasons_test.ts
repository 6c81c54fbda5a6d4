import { equal } from "node:assert/strict";
import { NetScriptError } from "@netscript/contracts/errors";
import { abortKind, leaseLostReason, shutdownReason } from "./abort_reasons.ts";

Deno.test("abortKind() tells the worker's own abort reasons apart", async (t) => {
  await t.step("a lost lease", () => {
    const controller = new AbortController();
    controller.abort(leaseLostReason("job-1"));
    equal(abortKind(controller.signal), "lease-lost");
    equal((controller.signal.reason as NetScriptError).code, "WORKERS_LEASE_LOST");
  });
  await t.step("a shutdown", () => {
    const controller = new AbortController();
    controller.abort(shutdownReason());
    equal(abortKind(controller.signal), "shutdown");
    equal((controller.signal.reason as NetScriptError).code, "WORKERS_SHUTDOWN");
  });
  await t.step("not aborted, or aborted by anything else, even with the same code", () => {
    equal(abortKind(new AbortController().signal), undefined);
    const controller = new AbortController();
    controller.abort(new NetScriptError("WORKERS_SHUTDOWN", "a look-alike"));
    equal(abortKind(controller.signal), undefined);
    equal(abortKind(AbortSignal.abort()), undefined);
  });
});
