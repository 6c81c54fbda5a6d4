import { equal } from "node:assert/strict";
import { SessionMemory, type UserPrincipal } from "./session_memory.ts";

const user = (sessionId: string, expiresInMs = 3_600_000): UserPrincipal => ({
  kind: "user",
  sessionId,
  user: { id: "u", email: null, name: null, roles: [] },
  scopes: [],
  expiresAt: new Date(Date.now() + expiresInMs),
});

Deno.test("SessionMemory remembers nothing until the feed is open, and forgets all when it is lost", () => {
  const memory = new SessionMemory(30_000, 10);
  memory.keep("a", user("s1"), memory.epoch);
  equal(memory.recall("a"), undefined, "kept while the feed was down");
  memory.open();
  memory.keep("a", user("s1"), memory.epoch);
  equal(memory.recall("a")?.sessionId, "s1");
  memory.lose();
  equal(memory.recall("a"), undefined);
  memory.open();
  equal(memory.recall("a"), undefined, "a new subscription starts afresh");
});

Deno.test("SessionMemory does not keep a check that started before a revocation", () => {
  const memory = new SessionMemory(30_000, 10);
  memory.open();
  const startedAt = memory.epoch;
  memory.forgetSessions(["s1"]);
  memory.keep("a", user("s1"), startedAt);
  equal(memory.recall("a"), undefined);
});

Deno.test("SessionMemory forgets every credential of an ended session, and only those", () => {
  const memory = new SessionMemory(30_000, 10);
  memory.open();
  memory.keep("a", user("s1"), memory.epoch);
  memory.keep("b", user("s1"), memory.epoch);
  memory.keep("c", user("s2"), memory.epoch);
  memory.forgetSessions(["s1"]);
  equal(memory.recall("a"), undefined);
  equal(memory.recall("b"), undefined);
  equal(memory.recall("c")?.sessionId, "s2");
});

Deno.test("SessionMemory keeps a session no longer than its expiry, and the oldest goes when full", () => {
  const memory = new SessionMemory(30_000, 2);
  memory.open();
  memory.keep("expired", user("s0", -1), memory.epoch);
  equal(memory.recall("expired"), undefined);
  memory.keep("a", user("s1"), memory.epoch);
  memory.keep("b", user("s2"), memory.epoch);
  memory.keep("c", user("s3"), memory.epoch);
  equal(memory.recall("a"), undefined);
  equal(memory.recall("b")?.sessionId, "s2");
  equal(memory.recall("c")?.sessionId, "s3");
});

Deno.test("SessionMemory with no time to live or no room remembers nothing", () => {
  for (const memory of [new SessionMemory(0, 10), new SessionMemory(30_000, 0)]) {
    equal(memory.enabled, false);
    memory.open();
    memory.keep("a", user("s1"), memory.epoch);
    equal(memory.recall("a"), undefined);
  }
});
