import { abortableSleep } from "./abortable_sleep.ts";

Deno.test("abortableSleep() ends when its signal aborts, or at once when it already has", async () => {
  const controller = new AbortController();
  const sleeping = abortableSleep(60_000, controller.signal);
  controller.abort();
  await sleeping;
  await abortableSleep(60_000, AbortSignal.abort());
});
