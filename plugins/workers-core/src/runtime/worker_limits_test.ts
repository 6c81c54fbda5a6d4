import { deepEqual, equal, throws } from "node:assert/strict";
import fc from "fast-check";
import {
  heartbeatInterval,
  MAX_TIMER_MS,
  resolveWorkerLimits,
  updateWorkerLimits,
} from "./worker_limits.ts";

Deno.test("resolveWorkerLimits() fills in the defaults", () => {
  deepEqual(resolveWorkerLimits({}), {
    concurrency: 1,
    pollMs: 1_000,
    leaseMs: 30_000,
    claimAhead: 0,
    heartbeatMs: undefined,
  });
  deepEqual(resolveWorkerLimits({ concurrency: 4, leaseMs: 90, heartbeatMs: 30, claimAhead: 50 }), {
    concurrency: 4,
    pollMs: 1_000,
    leaseMs: 90,
    claimAhead: 50,
    heartbeatMs: 30,
  });
});

Deno.test("updateWorkerLimits() changes only the fields given", () => {
  const current = resolveWorkerLimits({ concurrency: 2, pollMs: 50 });
  deepEqual(updateWorkerLimits(current, { concurrency: 5 }), { ...current, concurrency: 5 });
  deepEqual(updateWorkerLimits(current, { leaseMs: 600, pollMs: undefined }), {
    ...current,
    leaseMs: 600,
  });
  deepEqual(updateWorkerLimits(current, { claimAhead: 0 }), current);
  deepEqual(updateWorkerLimits(current, {}), current);
});

Deno.test("a limit that is not an integer in its range is a RangeError naming it", async (t) => {
  const current = resolveWorkerLimits({});
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ concurrency: 0 }, /concurrency must be an integer from 1 .* got 0/],
    [{ concurrency: 1.5 }, /concurrency .* got 1\.5/],
    [{ concurrency: Number.NaN }, /concurrency .* got NaN/],
    [{ pollMs: -1 }, /pollMs must be an integer from 1 to 2147483647, got -1/],
    [{ pollMs: MAX_TIMER_MS + 1 }, /pollMs/],
    [{ leaseMs: 2 }, /leaseMs must be an integer from 3/],
    [{ leaseMs: "30000" }, /leaseMs .* got "30000"/],
    [{ claimAhead: -1 }, /claimAhead must be an integer from 0 to 10000, got -1/],
    [{ claimAhead: 10_001 }, /claimAhead .* got 10001/],
    [{ claimAhead: 0.5 }, /claimAhead .* got 0\.5/],
  ];
  for (const [update, message] of cases) {
    const [[field, value]] = Object.entries(update) as [[string, unknown]];
    await t.step(`${field}: ${typeof value === "string" ? JSON.stringify(value) : value}`, () => {
      throws(() => updateWorkerLimits(current, update), (error) => {
        equal(error instanceof RangeError, true);
        equal(message.test((error as Error).message), true, (error as Error).message);
        return true;
      });
    });
  }
  await t.step("heartbeatMs, given at creation", () => {
    throws(() => resolveWorkerLimits({ heartbeatMs: 0 }), RangeError);
  });
});

Deno.test("an accepted update is in range, and the heartbeat never outlives the lease", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 10_000 }),
      fc.integer({ min: 3, max: MAX_TIMER_MS }),
      (concurrency, leaseMs) => {
        const limits = updateWorkerLimits(resolveWorkerLimits({}), { concurrency, leaseMs });
        const interval = heartbeatInterval(limits);
        return limits.concurrency === concurrency && interval >= 1 && interval * 3 <= leaseMs;
      },
    ),
  );
  equal(heartbeatInterval(resolveWorkerLimits({ leaseMs: 90, heartbeatMs: 7 })), 7);
});
