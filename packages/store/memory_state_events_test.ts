import { deepEqual, equal, rejects } from "node:assert/strict";
import { MemoryStateEvents } from "./memory_state_events.ts";

const at = new Date("2026-12-06T10:00:00.000Z");

Deno.test("MemoryStateEvents keeps only watched changes, oldest first, until removed", async () => {
  const events = new MemoryStateEvents();
  events.record({ name: "email", subject: "j-0", state: "dead", error: "x", at });
  await events.watchStates([{ name: "email", state: "dead" }, { name: "email", state: "dead" }]);
  for (const subject of ["j-1", "j-2", "j-3"]) {
    events.record({ name: "email", subject, state: "dead", error: "bounced", at });
  }
  events.record({ name: "email", subject: "j-4", state: "completed", error: null, at });
  const read = await events.readStateEvents(2);
  deepEqual(read.map((event) => event.subject), ["j-1", "j-2"]);
  await events.removeStateEvents([read[0]!.id, "unknown"]);
  deepEqual((await events.readStateEvents(10)).map((event) => event.subject), ["j-2", "j-3"]);
  await events.watchStates([]);
  events.record({ name: "email", subject: "j-5", state: "dead", error: null, at });
  equal((await events.readStateEvents(10)).length, 2, "kept after the watch ended, none added");
});

Deno.test("MemoryStateEvents refuses a limit that is not a positive integer", async () => {
  const events = new MemoryStateEvents();
  for (const limit of [0, -1, 1.5, Number.NaN]) {
    await rejects(events.readStateEvents(limit), RangeError, String(limit));
  }
});
