import { startReadyProcess } from "./testdata/ready_process.ts";
import { deepEqual, equal } from "node:assert/strict";
import { stopProcess } from "./stop_process.ts";

Deno.test("stopProcess() stops a running process with SIGTERM", async () => {
  const { child, output } = await startReadyProcess("setInterval(() => {}, 1_000);");
  const status = await stopProcess(child, { graceMs: 60_000 });
  equal(status.signal, "SIGTERM");
  await output;
});

Deno.test("stopProcess() lets a process that handles SIGTERM exit on its own", async () => {
  const { child, output } = await startReadyProcess(
    'setInterval(() => {}, 1_000); Deno.addSignalListener("SIGTERM", () => Deno.exit(0));',
  );
  // A grace far longer than the test: the SIGKILL timer must be cleared, not waited for.
  const status = await stopProcess(child, { graceMs: 600_000 });
  deepEqual(status, { success: true, code: 0, signal: null });
  await output;
});

Deno.test("stopProcess() kills a process that ignores SIGTERM after the grace", async () => {
  const { child, output } = await startReadyProcess(
    'setInterval(() => {}, 1_000); Deno.addSignalListener("SIGTERM", () => {});',
  );
  const status = await stopProcess(child, { graceMs: 100 });
  equal(status.signal, "SIGKILL");
  await output;
});

Deno.test("stopProcess() leaves a process that already exited as it is", async () => {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["eval", "Deno.exit(3)"],
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  await child.status;
  const status = await stopProcess(child, { graceMs: 600_000 });
  deepEqual(status, { success: false, code: 3, signal: null });
});
