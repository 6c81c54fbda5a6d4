/**
 * A second process on a test's KV file. `record <file> <key>`: records a
 * delivery of trigger "github" with that key and prints
 * `{"recorded":{id,duplicate}}`. `wait <file>`: prints `{"ready":true}`,
 * waits for work for at most a minute, then prints `{"woke":true}`.
 *
 * @module
 */
import { openKvDeliveryStore } from "../mod.ts";

const [mode, file, key] = Deno.args;
const store = await openKvDeliveryStore(file!);
try {
  if (mode === "record") {
    const { id, duplicate } = await store.record({
      trigger: "github",
      source: "webhook",
      key,
      payload: { from: "another process" },
    });
    console.log(JSON.stringify({ recorded: { id, duplicate } }));
  } else {
    await store.waitForWork(0);
    await store.waitForWork(200);
    const waiting = store.waitForWork(60_000);
    console.log(JSON.stringify({ ready: true }));
    await waiting;
    console.log(JSON.stringify({ woke: true }));
  }
} finally {
  await store.close();
}
