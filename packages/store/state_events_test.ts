import { equal } from "node:assert/strict";
import { isWatched } from "./state_events.ts";

Deno.test("isWatched matches the exact name and state pair only", () => {
  const watched = [{ name: "email", state: "dead" }, { name: "checkout", state: "completed" }];
  equal(isWatched(watched, "email", "dead"), true);
  equal(isWatched(watched, "checkout", "completed"), true);
  equal(isWatched(watched, "email", "completed"), false);
  equal(isWatched(watched, "checkout", "dead"), false);
  equal(isWatched([], "email", "dead"), false);
});
