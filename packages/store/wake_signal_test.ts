import { equal, ok } from "node:assert/strict";
import { WakeSignal } from "./mod.ts";

async function timed(wait: Promise<void>): Promise<number> {
  const started = performance.now();
  await wait;
  return performance.now() - started;
}

Deno.test("WakeSignal wakes every waiter at once", async () => {
  const signal = new WakeSignal();
  const waits = [timed(signal.wait(5_000)), timed(signal.wait(5_000))];
  equal(signal.waiting, 2);
  signal.wake();
  for (const ms of await Promise.all(waits)) ok(ms < 100);
  equal(signal.waiting, 0);
});

Deno.test("WakeSignal remembers a wake-up nobody waited for, once, unless told not to", async () => {
  const signal = new WakeSignal();
  signal.wake();
  ok(await timed(signal.wait(5_000)) < 50, "the remembered wake ends the next wait");
  ok(await timed(signal.wait(60)) >= 50, "only once");
  signal.wake(false);
  ok(await timed(signal.wait(60)) >= 50, "a wake that is not remembered is gone");
});

Deno.test("WakeSignal waits end at their timeout or when aborted", async () => {
  const signal = new WakeSignal();
  ok(await timed(signal.wait(80)) >= 70);
  const controller = new AbortController();
  const aborted = timed(signal.wait(5_000, controller.signal));
  controller.abort();
  ok(await aborted < 50);
  equal(signal.waiting, 0);
});
