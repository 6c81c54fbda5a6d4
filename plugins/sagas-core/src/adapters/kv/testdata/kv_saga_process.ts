/**
 * A second process on a test's KV file. `claim <path>`: prints
 * `{"ready":true}`, claims sagas named "x" five at a time, completing each,
 * until none is left, then prints `{"claimed":[ids]}`. `start <path> <id>`:
 * starts saga `<id>` named "x" and prints `{"started":id}`. `wait <path>`:
 * waits for work once, for at most a minute, printing `{"ready":true}`
 * while waiting and `{"woke":true,"running":n}` after. `watch <path> <name>
 * <state>`: watches that pair (only) and prints `{"watched":true}`.
 *
 * @module
 */
import { createKvSagaStore } from "../mod.ts";

const [mode, path, id, state] = Deno.args;
const store = await createKvSagaStore({ path: path! });
try {
  if (mode === "start") {
    const { saga } = await store.start({ id: id!, name: "x", version: 1, input: '"child"' });
    console.log(JSON.stringify({ started: saga.id }));
  } else if (mode === "watch") {
    await store.watchStates([{ name: id!, state: state! }]);
    console.log(JSON.stringify({ watched: true }));
  } else if (mode === "wait") {
    await store.stats();
    await store.waitForWork(0);
    const waiting = store.waitForWork(60_000);
    console.log(JSON.stringify({ ready: true }));
    await waiting;
    console.log(JSON.stringify({ woke: true, running: (await store.stats()).running }));
  } else {
    console.log(JSON.stringify({ ready: true }));
    const claimed: string[] = [];
    for (;;) {
      const sagas = await store.claim({ owner: "child", limit: 5, leaseMs: 60_000, names: ["x"] });
      if (sagas.length === 0) break;
      for (const { saga } of sagas) {
        const outcome = await store.commit(saga.id, "child", { progress: { state: "completed" } });
        if (!outcome.held) throw new Error(`Lost saga ${saga.id}`);
        claimed.push(saga.id);
      }
    }
    console.log(JSON.stringify({ claimed }));
  }
} finally {
  await store.close();
}
