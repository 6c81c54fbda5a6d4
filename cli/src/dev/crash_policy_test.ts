import { deepEqual, equal, ok } from "node:assert/strict";
import fc from "fast-check";
import { applyCrashPolicy, type CrashDecision } from "./crash_policy.ts";

/** Feeds crashes at `times` through the policy, as the supervisor does. */
function crashAt(times: number[], options = {}): CrashDecision[] {
  const decisions: CrashDecision[] = [];
  let crashes: number[] = [];
  for (const time of times) {
    const decision = applyCrashPolicy(crashes, time, options);
    decisions.push(decision);
    crashes = decision.crashes;
  }
  return decisions;
}

Deno.test("applyCrashPolicy() restarts with a delay that doubles with each crash", () => {
  const decisions = crashAt([0, 1_000, 2_000, 3_000]);
  deepEqual(decisions.map((d) => d.action === "restart" ? d.delayMs : d.action), [
    500,
    1_000,
    2_000,
    4_000,
  ]);
});

Deno.test("applyCrashPolicy() gives up at the fifth crash within 30 s", () => {
  const last = crashAt([0, 1_000, 2_000, 3_000, 4_000]).at(-1);
  deepEqual(last, {
    action: "give-up",
    crashes: [0, 1_000, 2_000, 3_000, 4_000],
    crashWindowMs: 30_000,
  });
});

Deno.test("applyCrashPolicy() forgets crashes older than the window", async (t) => {
  await t.step("spread-out crashes are never given up", () => {
    const decisions = crashAt([0, 40_000, 80_000, 120_000, 160_000, 200_000]);
    ok(decisions.every((d) => d.action === "restart" && d.delayMs === 500));
  });
  await t.step("a crash exactly at the window's edge still counts", () => {
    const decision = applyCrashPolicy([0], 30_000);
    deepEqual(decision, { action: "restart", delayMs: 1_000, crashes: [0, 30_000] });
  });
  await t.step("one past the edge does not", () => {
    deepEqual(applyCrashPolicy([0], 30_001).crashes, [30_001]);
  });
});

Deno.test("applyCrashPolicy() honours its options", () => {
  const options = { maxCrashes: 3, crashWindowMs: 100, backoffMs: 10, maxBackoffMs: 15 };
  deepEqual(crashAt([0, 1, 2], options).map((d) => d.action === "restart" ? d.delayMs : d), [
    10,
    15,
    { action: "give-up", crashes: [0, 1, 2], crashWindowMs: 100 },
  ]);
  equal(applyCrashPolicy([], 0, { maxCrashes: 1 }).action, "give-up");
});

Deno.test("applyCrashPolicy() keeps a suffix of the window and bounds its delay", () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 0, max: 5_000 }), { maxLength: 20 }),
      fc.integer({ min: 1, max: 8 }),
      fc.integer({ min: 1, max: 2_000 }),
      (gaps, maxCrashes, crashWindowMs) => {
        let now = 0;
        let crashes: number[] = [];
        for (const gap of gaps) {
          now += gap;
          const decision = applyCrashPolicy(crashes, now, { maxCrashes, crashWindowMs });
          const all = [...crashes, now];
          deepEqual(decision.crashes, all.slice(all.length - decision.crashes.length));
          equal(decision.crashes.at(-1), now);
          ok(decision.crashes.every((time) => now - time <= crashWindowMs));
          ok(all.slice(0, -decision.crashes.length).every((time) => now - time > crashWindowMs));
          equal(decision.action, decision.crashes.length >= maxCrashes ? "give-up" : "restart");
          if (decision.action === "give-up") return;
          ok(decision.delayMs >= 500 && decision.delayMs <= 10_000);
          crashes = decision.crashes;
        }
      },
    ),
  );
});
