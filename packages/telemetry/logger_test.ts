import { deepEqual, equal, match, ok } from "node:assert/strict";
import { useInMemoryTracing } from "../../tests/support/tracing.ts";
import { createLogger, type LogLevel, withSpan } from "./mod.ts";

function capture(level?: LogLevel) {
  const lines: { line: string; level: LogLevel }[] = [];
  const logger = createLogger({
    service: "billing",
    ...(level === undefined ? {} : { level }),
    sink: (line, lineLevel) => lines.push({ line, level: lineLevel }),
  });
  return { logger, lines, records: () => lines.map((l) => JSON.parse(l.line)) };
}

Deno.test("createLogger() writes one JSON object per line with service, level and message", () => {
  const { logger, lines, records } = capture();
  logger.info("invoice sent", { invoiceId: "i1", amount: 3 });
  equal(lines.length, 1);
  ok(!lines[0]!.line.includes("\n"));
  const [record] = records();
  match(record.time, /^\d{4}-\d{2}-\d{2}T/);
  deepEqual(
    { ...record, time: undefined },
    {
      time: undefined,
      level: "info",
      service: "billing",
      msg: "invoice sent",
      invoiceId: "i1",
      amount: 3,
    },
  );
});

Deno.test("createLogger() drops lines below the minimum level", () => {
  const { logger, records } = capture("warn");
  logger.debug("a");
  logger.info("b");
  logger.warn("c");
  logger.error("d");
  deepEqual(records().map((r) => r.level), ["warn", "error"]);
  ok(!logger.enabled("info"));
  ok(logger.enabled("error"));
});

Deno.test("createLogger() expands errors with their stack and cause", () => {
  const { logger, records } = capture();
  logger.error("failed", { error: new Error("outer", { cause: new TypeError("inner") }) });
  const { error } = records()[0];
  equal(error.name, "Error");
  equal(error.message, "outer");
  match(error.stack, /logger_test\.ts/);
  equal(error.cause.name, "TypeError");
});

Deno.test("createLogger() adds the active span's trace and span ids", async () => {
  useInMemoryTracing();
  const { logger, records } = capture();
  let expected: { traceId: string; spanId: string } | undefined;
  await withSpan("work", (span) => {
    expected = span.spanContext();
    logger.info("inside");
  });
  logger.info("outside");
  const [inside, outside] = records();
  equal(inside.traceId, expected!.traceId);
  equal(inside.spanId, expected!.spanId);
  equal(outside.traceId, undefined);
});

Deno.test("createLogger() keeps its own keys when fields reuse their names", () => {
  const { logger, records } = capture();
  logger.info("hello", { level: "nope", msg: "other", service: "x", time: 1, user: "u" });
  const [record] = records();
  equal(record.level, "info");
  equal(record.msg, "hello");
  equal(record.service, "billing");
  equal(record["field.level"], "nope");
  equal(record["field.msg"], "other");
  equal(record.user, "u");
});

Deno.test("createLogger() never throws on values JSON cannot hold", () => {
  const { logger, records } = capture();
  const cycle: Record<string, unknown> = { name: "loop" };
  cycle.self = cycle;
  const coded = Object.assign(new Error("nested"), { code: "E_NESTED" });
  logger.info("odd values", { big: 10n ** 20n, cycle, wrapped: { inner: coded } });
  const [record] = records();
  equal(record.big, "100000000000000000000");
  deepEqual(record.cycle, { name: "loop", self: "[Circular]" });
  equal(record.wrapped.inner.message, "nested");
  equal(record.wrapped.inner.code, "E_NESTED");
  match(record.wrapped.inner.stack, /logger_test\.ts/);
});

Deno.test("createLogger() expands errors that define toJSON, and error cycles", () => {
  const { logger, records } = capture();
  const withJson = Object.assign(new Error("has toJSON"), { toJSON: () => ({ only: "this" }) });
  const selfCaused = new Error("loop");
  (selfCaused as { cause?: unknown }).cause = selfCaused;
  const throwing = {
    get broken() {
      throw new Error("getter failed");
    },
  };
  logger.error("odd errors", { withJson, selfCaused, throwing });
  const [record] = records();
  equal(record.withJson.message, "has toJSON");
  match(record.withJson.stack, /logger_test\.ts/);
  equal(record.selfCaused.cause, "[Circular]");
  equal(record.throwing, "[Unserialisable: getter failed]");
});
