import { deepEqual, equal, throws } from "node:assert/strict";
import fc from "fast-check";
import { isNetScriptError } from "@netscript/contracts/errors";
import { envFrom, readEnumSetting, readIntegerSetting } from "./mod.ts";

function refused(run: () => unknown, message: string, details: Record<string, unknown>): void {
  throws(run, (error: unknown) => {
    if (!isNetScriptError(error, "RUNTIME_INVALID_SETTING")) return false;
    equal(error.message, message);
    deepEqual(error.details, details);
    return true;
  });
}

Deno.test("readIntegerSetting() reads an integer within its bounds, else the default", async (t) => {
  const read = (value: string | undefined) =>
    readIntegerSetting("WORKER_CONCURRENCY", {
      env: envFrom({ WORKER_CONCURRENCY: value }),
      default: 1,
      min: 1,
      max: 1000,
    });
  await t.step("set", () => equal(read("8"), 8));
  await t.step("with spaces and a sign", () => equal(read(" +12 "), 12));
  await t.step("unset", () => equal(read(undefined), 1));
  await t.step("empty", () => equal(read(""), 1));
  await t.step("the bounds themselves", () => deepEqual([read("1"), read("1000")], [1, 1000]));
});

Deno.test("readIntegerSetting() names the variable, the value and the range it must be in", async (t) => {
  for (const value of ["abc", "2.5", "0", "1001", "1e3", "0x10", "NaN", "--1"]) {
    await t.step(value, () =>
      refused(
        () =>
          readIntegerSetting("WORKER_CONCURRENCY", {
            env: envFrom({ WORKER_CONCURRENCY: value }),
            default: 1,
            min: 1,
            max: 1000,
          }),
        `WORKER_CONCURRENCY=${
          JSON.stringify(value)
        } is not a valid setting: it must be an integer from 1 to 1000; fix it or unset it`,
        {
          variable: "WORKER_CONCURRENCY",
          value,
          expected: "an integer from 1 to 1000",
        },
      ));
  }
  await t.step("one bound only", () => {
    throws(
      () => readIntegerSetting("N", { env: envFrom({ N: "-1" }), default: 0, min: 0 }),
      /it must be an integer of at least 0/,
    );
    throws(
      () => readIntegerSetting("N", { env: envFrom({ N: "x" }), default: 0 }),
      /it must be an integer; fix it/,
    );
  });
});

Deno.test("readIntegerSetting() accepts exactly the integers in range (property)", () => {
  fc.assert(fc.property(fc.integer({ min: -5_000, max: 5_000 }), (n) => {
    const read = () =>
      readIntegerSetting("N", { env: envFrom({ N: String(n) }), default: 7, min: 0, max: 1000 });
    if (n >= 0 && n <= 1000) equal(read(), n);
    else throws(read, (error) => isNetScriptError(error, "RUNTIME_INVALID_SETTING"));
  }));
  fc.assert(fc.property(fc.string(), (text) => {
    const read = () => readIntegerSetting("N", { env: envFrom({ N: text }), default: 7 });
    if (text.trim() === "" || /^[+-]?\d+$/.test(text.trim())) return;
    throws(read, (error) => isNetScriptError(error, "RUNTIME_INVALID_SETTING"));
  }));
});

Deno.test("readEnumSetting() reads one of its values, else the default, and lists them when wrong", () => {
  const read = (value: string | undefined) =>
    readEnumSetting("WORKERS_LOG_LEVEL", {
      env: envFrom({ WORKERS_LOG_LEVEL: value }),
      values: ["debug", "info", "warn", "error"],
      default: "info",
    });
  equal(read("debug"), "debug");
  equal(read(undefined), "info");
  equal(read(""), "info");
  refused(
    () => read("verbose"),
    'WORKERS_LOG_LEVEL="verbose" is not a valid setting: it must be one of "debug", "info", "warn", "error"; fix it or unset it',
    {
      variable: "WORKERS_LOG_LEVEL",
      value: "verbose",
      expected: 'one of "debug", "info", "warn", "error"',
    },
  );
});
