import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { createLogger } from "@netscript/telemetry";
import fc from "fast-check";
import {
  createLogStore,
  DEFAULT_MAX_BYTES,
  DEFAULT_MAX_LINES,
  type LogEntry,
  matchesFilter,
} from "./log_store.ts";

const TRACE = "0af7651916cd43dd8448eb211c80319c";

/** The lines a NetScript logger of `service` writes for `log`. */
function loggerLines(service: string, log: (logger: ReturnType<typeof createLogger>) => void) {
  const lines: string[] = [];
  log(createLogger({ service, level: "debug", sink: (line) => lines.push(line) }));
  return lines;
}

const utf8Length = (text: string) => new TextEncoder().encode(text).length;

Deno.test("createLogStore() reads plain lines with the stream's level and the receiving time", () => {
  const logs = createLogStore();
  const before = new Date().toISOString();
  const out = logs.add("users", "stdout", "Listening on http://127.0.0.1:8000/");
  const err = logs.add("users", "stderr", "Download https://registry.npmjs.org/x");
  const after = new Date().toISOString();
  deepEqual({ ...out, time: "" }, {
    seq: 1,
    time: "",
    resource: "users",
    stream: "stdout",
    level: "info",
    message: "Listening on http://127.0.0.1:8000/",
    traceId: null,
    text: "Listening on http://127.0.0.1:8000/",
  });
  equal(err.seq, 2);
  equal(err.level, "warn");
  equal(err.stream, "stderr");
  for (const entry of [out, err]) ok(before <= entry.time && entry.time <= after, entry.time);
});

Deno.test("createLogStore() reads the fields of NetScript's JSON log lines", () => {
  const [info, error] = loggerLines("orders", (log) => {
    log.info("order placed", { traceId: TRACE.toUpperCase(), orderId: "o1" });
    log.error("payment failed");
  });
  const logs = createLogStore();
  const infoEntry = logs.add("orders", "stdout", info!);
  const errorEntry = logs.add("orders", "stderr", error!);
  const written = JSON.parse(info!);
  deepEqual(infoEntry, {
    seq: 1,
    time: written.time,
    resource: "orders",
    stream: "stdout",
    level: "info",
    message: "order placed",
    traceId: TRACE,
    text: info,
  });
  equal(errorEntry.level, "error");
  equal(errorEntry.message, "payment failed");
  equal(errorEntry.traceId, null);
});

Deno.test("createLogStore() reads other JSON lines where it can", async (t) => {
  const logs = createLogStore();
  const add = (text: string, stream: "stdout" | "stderr" = "stdout") =>
    logs.add("web", stream, text);

  await t.step("`message` and `timestamp`, and epoch milliseconds", () => {
    const entry = add('{"level":"DEBUG","message":"hi","timestamp":"2024-05-01T10:00:00+02:00"}');
    equal(entry.level, "debug");
    equal(entry.message, "hi");
    equal(entry.time, "2024-05-01T08:00:00.000Z");
    equal(add('{"time":0,"msg":"epoch"}').time, "1970-01-01T00:00:00.000Z");
  });

  await t.step("an unknown level, time or trace id falls back", () => {
    const before = new Date().toISOString();
    const entry = add('{"level":"toString","time":"soon","traceId":"abc","msg":3}', "stderr");
    equal(entry.level, "warn");
    ok(entry.time >= before);
    equal(entry.traceId, null);
    equal(entry.message, entry.text);
  });

  await t.step("braces around something else, and arrays, are plain lines", () => {
    for (const text of ['{ "level": "error" ', "{not json}", '["level","error"]', "{}"]) {
      const entry = add(text);
      equal(entry.level, "info", text);
      equal(entry.message, text);
    }
  });
});

Deno.test("createLogStore() cuts long lines to 8 KiB and notes their size", async (t) => {
  const logs = createLogStore();

  await t.step("a line of exactly 8 KiB is kept whole", () => {
    const text = "x".repeat(8192);
    equal(logs.add("web", "stdout", text).text, text);
  });

  await t.step("a longer line keeps its start", () => {
    const text = "y".repeat(20_000);
    const entry = logs.add("web", "stdout", text);
    equal(utf8Length(entry.text), 8192);
    ok(entry.text.endsWith(" … [cut: 20000 bytes in all]"), entry.text.slice(-40));
    ok(entry.text.startsWith("y".repeat(8_000)));
    equal(entry.message, entry.text);
  });

  await t.step("multi-byte characters are not split", () => {
    const text = "é€😀".repeat(2_000);
    const entry = logs.add("web", "stdout", text);
    ok(utf8Length(entry.text) <= 8192);
    ok(!entry.text.includes("\ufffd"));
    const kept = entry.text.slice(0, entry.text.indexOf(" … [cut: "));
    ok(text.startsWith(kept));
    ok(kept.length > 3_000);
  });

  await t.step("a JSON line's long message is cut too, and its fields still read", () => {
    const [line] = loggerLines("web", (log) => log.warn("z".repeat(10_000)));
    const entry = logs.add("web", "stderr", line!);
    equal(entry.level, "warn");
    equal(utf8Length(entry.message), 8192);
    ok(entry.message.startsWith("zzz"));
    ok(entry.message.endsWith(" … [cut: 10000 bytes in all]"));
  });
});

Deno.test("createLogStore() evicts the oldest lines past maxLines", () => {
  const logs = createLogStore({ maxLines: 3 });
  for (const text of ["a", "b", "c", "d", "e"]) logs.add("web", "stdout", text);
  deepEqual(logs.query().map((entry) => [entry.seq, entry.text]), [[3, "c"], [4, "d"], [5, "e"]]);
  deepEqual(logs.size(), { lines: 3, bytes: 3 });
});

Deno.test("createLogStore() evicts the oldest lines past maxBytes of UTF-8", () => {
  const logs = createLogStore({ maxBytes: 10 });
  logs.add("web", "stdout", "aaaa");
  logs.add("web", "stdout", "éé"); // 4 bytes
  logs.add("web", "stdout", "cccc");
  deepEqual(logs.query().map((entry) => entry.text), ["éé", "cccc"]);
  deepEqual(logs.size(), { lines: 2, bytes: 8 });
  logs.add("web", "stdout", "a line longer than the whole budget");
  deepEqual(logs.query().map((entry) => entry.text), ["a line longer than the whole budget"]);
  deepEqual(logs.size(), { lines: 1, bytes: 35 });
});

Deno.test("createLogStore() stays within its limits and keeps the newest lines", () => {
  fc.assert(fc.property(
    fc.integer({ min: 1, max: 20 }),
    fc.integer({ min: 1, max: 200 }),
    fc.array(fc.string({ unit: "grapheme", maxLength: 30 }), { maxLength: 80 }),
    (maxLines, maxBytes, texts) => {
      const logs = createLogStore({ maxLines, maxBytes });
      for (const text of texts) logs.add("web", "stdout", text);
      const kept = logs.query({ limit: 1_000 });
      const bytes = kept.reduce((sum, entry) => sum + utf8Length(entry.text), 0);
      deepEqual(logs.size(), { lines: kept.length, bytes });
      ok(kept.length <= maxLines);
      ok(bytes <= maxBytes || kept.length === 1);
      deepEqual(kept.map((entry) => entry.text), texts.slice(texts.length - kept.length));
      deepEqual(
        kept.map((entry) => entry.seq),
        kept.map((_, i) => texts.length - kept.length + i + 1),
      );
      // Nothing older would have fitted too.
      const older = texts[texts.length - kept.length - 1];
      if (older !== undefined && kept.length < maxLines) {
        ok(bytes + utf8Length(older) > maxBytes);
      }
    },
  ));
});

Deno.test("createLogStore() rejects limits that are not positive integers", () => {
  for (const options of [{ maxLines: 0 }, { maxLines: 1.5 }, { maxBytes: -1 }, { maxBytes: NaN }]) {
    throws(() => createLogStore(options), RangeError, JSON.stringify(options));
  }
  equal(DEFAULT_MAX_LINES, 5_000);
  equal(DEFAULT_MAX_BYTES, 4 * 1024 * 1024);
});

Deno.test("LogStore.query() filters and returns the newest matches, oldest first", async (t) => {
  const logs = createLogStore();
  const [traced] = loggerLines("users", (log) => log.error("lookup failed", { traceId: TRACE }));
  logs.add("users", "stdout", "Server started"); // 1 info
  logs.add("users", "stderr", traced!); // 2 error, traced
  logs.add("orders", "stdout", '{"level":"debug","msg":"cache miss"}'); // 3 debug
  logs.add("orders", "stderr", "Warning: LOOKUP slow"); // 4 warn
  logs.add("users", "stdout", "lookup ok"); // 5 info
  const seqs = (entries: LogEntry[]) => entries.map((entry) => entry.seq);

  await t.step("everything by default", () => deepEqual(seqs(logs.query()), [1, 2, 3, 4, 5]));
  await t.step("by resource", () => deepEqual(seqs(logs.query({ resource: "orders" })), [3, 4]));
  await t.step("by minimum level", () => {
    deepEqual(seqs(logs.query({ level: "warn" })), [2, 4]);
    deepEqual(seqs(logs.query({ level: "debug" })), [1, 2, 3, 4, 5]);
  });
  await t.step("by text, ignoring case", () => {
    deepEqual(seqs(logs.query({ text: "lookup" })), [2, 4, 5]);
  });
  await t.step("by trace id, ignoring case", () => {
    deepEqual(seqs(logs.query({ traceId: TRACE.toUpperCase() })), [2]);
  });
  await t.step("after a seq", () => deepEqual(seqs(logs.query({ afterSeq: 3 })), [4, 5]));
  await t.step("the last `limit` matches", () => {
    deepEqual(seqs(logs.query({ limit: 2 })), [4, 5]);
    deepEqual(seqs(logs.query({ text: "lookup", limit: 2 })), [4, 5]);
    deepEqual(logs.query({ limit: 0 }), []);
  });
  await t.step("every field at once", () => {
    deepEqual(seqs(logs.query({ resource: "users", level: "info", text: "LOOKUP" })), [2, 5]);
  });
  await t.step("a limit that is not a non-negative integer is rejected", () => {
    for (const limit of [-1, 2.5, NaN]) throws(() => logs.query({ limit }), RangeError);
  });
});

Deno.test("LogStore.query() returns at most 500 lines by default", () => {
  const logs = createLogStore();
  for (let i = 0; i < 600; i++) logs.add("web", "stdout", `line ${i}`);
  const entries = logs.query();
  equal(entries.length, 500);
  equal(entries[0]!.seq, 101);
  equal(entries.at(-1)!.seq, 600);
});

Deno.test("matchesFilter() applies every field but limit", () => {
  const entry = createLogStore().add("users", "stderr", "Boom");
  ok(matchesFilter(entry, {}));
  ok(matchesFilter(entry, { resource: "users", level: "warn", text: "boo", limit: 0 }));
  ok(!matchesFilter(entry, { resource: "orders" }));
  ok(!matchesFilter(entry, { level: "error" }));
  ok(!matchesFilter(entry, { text: "bang" }));
  ok(!matchesFilter(entry, { traceId: TRACE }));
  ok(!matchesFilter(entry, { afterSeq: 1 }));
  ok(matchesFilter(entry, { afterSeq: 0 }));
});

Deno.test("LogStore.subscribe() passes new lines until unsubscribed", () => {
  const logs = createLogStore();
  logs.add("web", "stdout", "before");
  const seen: string[] = [];
  const stop = logs.subscribe((entry) => seen.push(entry.text));
  const returned = logs.add("web", "stdout", "during");
  stop();
  logs.add("web", "stdout", "after");
  deepEqual(seen, ["during"]);
  equal(returned.text, "during");
});

Deno.test("LogStore.subscribe() calls a listener subscribed twice twice, and stops each alone", () => {
  const logs = createLogStore();
  const seen: number[] = [];
  const listener = (entry: LogEntry) => seen.push(entry.seq);
  const stopFirst = logs.subscribe(listener);
  logs.subscribe(listener);
  logs.add("web", "stdout", "one");
  stopFirst();
  logs.add("web", "stdout", "two");
  deepEqual(seen, [1, 1, 2]);
});

Deno.test("LogStore.add() reports a throwing listener and still calls the others", () => {
  const errors: unknown[] = [];
  const logs = createLogStore({ onListenerError: (error) => errors.push(error) });
  const seen: number[] = [];
  const failure = new Error("listener broke");
  logs.subscribe(() => {
    throw failure;
  });
  logs.subscribe((entry) => seen.push(entry.seq));
  equal(logs.add("web", "stdout", "one").seq, 1);
  equal(logs.add("web", "stdout", "two").seq, 2);
  deepEqual(seen, [1, 2]);
  deepEqual(errors, [failure, failure]);
  equal(logs.size().lines, 2);
});

Deno.test("LogStore.add() writes a listener's error to stderr by default", () => {
  const logs = createLogStore();
  logs.subscribe(() => {
    throw new Error("listener broke");
  });
  const original = console.error;
  const written: unknown[][] = [];
  console.error = (...args: unknown[]) => written.push(args);
  try {
    logs.add("web", "stdout", "one");
  } finally {
    console.error = original;
  }
  equal(written.length, 1);
  ok(String(written[0]![1]).includes("listener broke"));
});

Deno.test("LogStore.add() does not pass the line to a listener subscribed while it is passed", () => {
  const logs = createLogStore();
  const late: number[] = [];
  logs.subscribe(() => logs.subscribe((entry) => late.push(entry.seq)));
  logs.add("web", "stdout", "one");
  deepEqual(late, []);
  logs.add("web", "stdout", "two");
  deepEqual(late, [2]);
});
