import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { isNetScriptError } from "@netscript/contracts/errors";
import type { TriggersErrorCode } from "../triggers_error_codes.ts";
import { type CronOptions, defineCron, MAX_CRON_JITTER_MS } from "./define_cron.ts";

/** Asserts that `define` throws TRIGGERS_INVALID_DEFINITION with a message holding `problem`. */
function throwsInvalid(define: () => unknown, problem: RegExp): void {
  throws(define, (error: unknown) => {
    ok(isNetScriptError<TriggersErrorCode>(error, "TRIGGERS_INVALID_DEFINITION"), String(error));
    ok(problem.test(error.message), `"${error.message}" does not match ${problem}`);
    return true;
  });
}

/** defineCron() of a valid trigger changed by `overrides`, typed loosely to pass bad values. */
function cronWith(overrides: Record<string, unknown>) {
  return () =>
    defineCron({
      name: "nightly",
      cron: "0 3 * * *",
      dispatch: () => null,
      ...overrides,
    } as unknown as CronOptions<string, never>);
}

/** The ISO strings of `ticks`. */
function iso(ticks: readonly Date[]): string[] {
  return ticks.map((tick) => tick.toISOString());
}

Deno.test("defineCron() returns a frozen cron trigger with defaults", () => {
  const cron = defineCron({ name: "nightly", cron: "0 3 * * *", dispatch: () => null });
  deepEqual(
    {
      kind: cron.kind,
      type: cron.type,
      name: cron.name,
      cron: cron.cron,
      timezone: cron.timezone,
      missed: cron.missed,
      jitter: cron.jitter,
    },
    {
      kind: "trigger",
      type: "cron",
      name: "nightly",
      cron: "0 3 * * *",
      timezone: "UTC",
      missed: "latest",
      jitter: 0,
    },
  );
  ok(Object.isFrozen(cron));
  equal(cronWith({ missed: "all", jitter: MAX_CRON_JITTER_MS })().jitter, 3_600_000);
});

Deno.test("defineCron() refuses a definition it cannot run, naming the problem", async (t) => {
  await t.step("a bad name", () => {
    throwsInvalid(cronWith({ name: "Nightly!" }), /"Nightly!".*name must match/);
  });
  await t.step("no dispatch function", () => {
    throwsInvalid(cronWith({ dispatch: null }), /"nightly".*dispatch must be a function/);
  });
  await t.step("a cron pattern croner refuses", () => {
    throwsInvalid(cronWith({ cron: "61 * * * *" }), /cron "61 \* \* \* \*"/);
    throwsInvalid(cronWith({ cron: "every day" }), /cron "every day"/);
  });
  await t.step("a time zone that is not IANA", () => {
    throwsInvalid(
      cronWith({ timezone: "Mars/Olympus" }),
      /timezone "Mars\/Olympus" is not an IANA time zone/,
    );
  });
  await t.step("a missed policy that does not exist", () => {
    throwsInvalid(
      cronWith({ missed: "first" }),
      /missed must be "latest", "all" or "skip", got "first"/,
    );
  });
  await t.step("a jitter out of range or not an integer", () => {
    for (const jitter of [-1, 0.5, MAX_CRON_JITTER_MS + 1, Number.NaN]) {
      throwsInvalid(cronWith({ jitter }), /jitter must be an integer from 0 to 3600000 ms/);
    }
  });
});

Deno.test("defineCron() reads the pattern in its time zone", () => {
  const daily = defineCron({
    name: "daily",
    cron: "0 7 * * *",
    timezone: "Europe/Paris",
    dispatch: () => null,
  });
  equal(
    daily.nextTick(new Date("2026-07-01T00:00:00Z"))?.toISOString(),
    "2026-07-01T05:00:00.000Z",
  );
  equal(
    daily.nextTick(new Date("2026-01-15T06:00:00Z"))?.toISOString(),
    "2026-01-16T06:00:00.000Z",
  );
  const utc = defineCron({ name: "utc", cron: "0 7 * * *", dispatch: () => null });
  equal(utc.nextTick(new Date("2026-07-01T00:00:00Z"))?.toISOString(), "2026-07-01T07:00:00.000Z");
});

Deno.test("ticksBetween() covers (after, until], oldest first", () => {
  const minutely = defineCron({ name: "minutely", cron: "* * * * *", dispatch: () => null });
  deepEqual(
    iso(minutely.ticksBetween(
      new Date("2026-01-01T00:00:00Z"),
      new Date("2026-01-01T00:03:00Z"),
      10,
    )),
    ["2026-01-01T00:01:00.000Z", "2026-01-01T00:02:00.000Z", "2026-01-01T00:03:00.000Z"],
  );
  deepEqual(
    minutely.ticksBetween(new Date("2026-01-01T00:00:00Z"), new Date("2026-01-01T00:00:59Z"), 10),
    [],
  );
});

Deno.test("ticksBetween() with a limit returns the latest ticks", () => {
  const minutely = defineCron({ name: "minutely", cron: "* * * * *", dispatch: () => null });
  const after = new Date("2026-01-01T00:00:00Z");
  const until = new Date("2026-01-01T01:00:30Z");
  deepEqual(iso(minutely.ticksBetween(after, until, 2)), [
    "2026-01-01T00:59:00.000Z",
    "2026-01-01T01:00:00.000Z",
  ]);
  deepEqual(iso(minutely.ticksBetween(after, until, 1)), ["2026-01-01T01:00:00.000Z"]);
  equal(minutely.ticksBetween(after, until, 1_000).length, 60);
});

Deno.test("a daily time in the skipped spring hour fires at the first time after the gap", () => {
  const cron = defineCron({
    name: "half-past-two",
    cron: "30 2 * * *",
    timezone: "Europe/Paris",
    dispatch: () => null,
  });
  // On 2026-03-29 Paris clocks jump from 02:00 to 03:00 (01:00Z): 02:30 does not exist.
  deepEqual(
    iso(cron.ticksBetween(new Date("2026-03-28T00:00:00Z"), new Date("2026-03-31T00:00:00Z"), 10)),
    ["2026-03-28T01:30:00.000Z", "2026-03-29T01:00:00.000Z", "2026-03-30T00:30:00.000Z"],
  );
  equal(cron.nextTick(new Date("2026-03-28T12:00:00Z"))?.toISOString(), "2026-03-29T01:00:00.000Z");
});

Deno.test("a daily time that occurs twice in autumn fires once, at its first occurrence", () => {
  const cron = defineCron({
    name: "half-past-two",
    cron: "30 2 * * *",
    timezone: "Europe/Paris",
    dispatch: () => null,
  });
  // On 2026-10-25 Paris clocks fall back from 03:00 to 02:00 (01:00Z): 02:30 happens twice.
  deepEqual(
    iso(cron.ticksBetween(new Date("2026-10-24T00:00:00Z"), new Date("2026-10-27T00:00:00Z"), 10)),
    ["2026-10-24T00:30:00.000Z", "2026-10-25T00:30:00.000Z", "2026-10-26T01:30:00.000Z"],
  );
  equal(cron.nextTick(new Date("2026-10-25T00:30:00Z"))?.toISOString(), "2026-10-26T01:30:00.000Z");
});

Deno.test("a step pattern fires every real half hour through the autumn change", () => {
  const cron = defineCron({
    name: "half-hourly",
    cron: "*/30 * * * *",
    timezone: "Europe/Paris",
    dispatch: () => null,
  });
  const ticks = cron.ticksBetween(
    new Date("2026-10-24T23:00:00Z"),
    new Date("2026-10-25T03:00:00Z"),
    100,
  );
  equal(ticks.length, 8);
  ticks.forEach((tick, i) =>
    equal(tick.getTime(), Date.parse("2026-10-24T23:30:00Z") + i * 1_800_000, `tick ${i}`)
  );
});

Deno.test("nextTick() returns null when the pattern has no more ticks", () => {
  // Seconds, minutes, hours, day, month, weekday, year: midnight on 2026-01-01 only.
  const once = defineCron({ name: "once", cron: "0 0 0 1 1 * 2026", dispatch: () => null });
  equal(once.nextTick(new Date("2025-06-01T00:00:00Z"))?.toISOString(), "2026-01-01T00:00:00.000Z");
  equal(once.nextTick(new Date("2026-06-01T00:00:00Z")), null);
});
