import { deepEqual, equal, match, ok, rejects } from "node:assert/strict";
import { isNetScriptError } from "@netscript/contracts/errors";
import { createMemoryConfigStore } from "@netscript/runtime-config/memory";
import { configureTelemetry, createLogger, type Logger, spanName } from "@netscript/telemetry";
import { startProgram } from "../../tests/support/process.ts";
import { envFrom, type ProcessorPart, runProcessor, STOP_DEADLINE_MS } from "./mod.ts";
import { billing } from "./testdata/plugin.ts";

const TICKER = new URL("./testdata/ticker_main.ts", import.meta.url);

function capture(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({
    service: "billing-test",
    level: "debug",
    sink: (line) => lines.push(JSON.parse(line)),
  });
  return { logger, lines };
}

/** A part that records its life in `events` and runs until stopped. */
function part(name: string, events: string[], options: { fail?: Error } = {}): ProcessorPart {
  const done = Promise.withResolvers<void>();
  return {
    start: () => {
      events.push(`${name} start`);
      if (options.fail) return Promise.reject(options.fail);
      return done.promise;
    },
    stop: () => {
      events.push(`${name} stop`);
      done.resolve();
      return Promise.resolve();
    },
  };
}

Deno.test("runProcessor() starts the parts, stops them when asked, then closes in reverse order", async () => {
  const events: string[] = [];
  const stop = new AbortController();
  const { logger, lines } = capture();
  try {
    const running = runProcessor({
      plugin: billing,
      resource: "billing-ticker",
      env: envFrom({ WORKER_CONCURRENCY: "3" }),
      handleSignals: false,
      signal: stop.signal,
      logger,
      parts: ({ settings, onClose, plugin, resource }) => {
        deepEqual([settings.concurrency, settings.shutdownGraceMs], [3, 3_000]);
        deepEqual([plugin.slug, resource], ["billing", "billing-ticker"]);
        onClose(() => void events.push("close first"));
        onClose(() => void events.push("close second"));
        return [part("a", events), part("b", events)];
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    stop.abort();
    await running;
    deepEqual(events, ["a start", "b start", "a stop", "b stop", "close second", "close first"]);
    equal(spanName("charge"), "billing.charge", "the plugin's span namespace is set");
    deepEqual(
      lines.map((line) => line.msg),
      ["processor started", "processor stopping", "processor stopped"],
    );
    equal(lines[1]!.reason, "abort");
  } finally {
    configureTelemetry({});
  }
});

Deno.test("runProcessor() stops the other parts when one fails, and throws its error", async () => {
  const events: string[] = [];
  const boom = new Error("boom");
  const { logger, lines } = capture();
  await rejects(
    runProcessor({
      plugin: { ...billing, telemetry: undefined },
      resource: "billing-ticker",
      env: envFrom({}),
      handleSignals: false,
      logger,
      parts: () => [part("ok", events), part("bad", events, { fail: boom })],
    }),
    (error) => error === boom,
  );
  deepEqual(events, ["ok start", "bad start", "ok stop", "bad stop"]);
  ok(lines.some((line) => line.msg === "a part failed; stopping the others"));
});

Deno.test("runProcessor() closes what was opened when building the parts fails", async () => {
  const events: string[] = [];
  await rejects(
    runProcessor({
      plugin: billing,
      resource: "billing-ticker",
      env: envFrom({}),
      handleSignals: false,
      logger: capture().logger,
      parts: ({ onClose }) => {
        onClose(() => void events.push("closed"));
        throw new Error("store down");
      },
    }),
    /store down/,
  );
  deepEqual(events, ["closed"]);
  configureTelemetry({});
});

Deno.test("runProcessor() refuses an unusable setting before building anything", async () => {
  let built = false;
  await rejects(
    runProcessor({
      plugin: billing,
      resource: "billing-ticker",
      env: envFrom({ BILLING_LOG_LEVEL: "chatty" }),
      handleSignals: false,
      logger: capture().logger,
      parts: () => {
        built = true;
        return [];
      },
    }),
    (error) => isNetScriptError(error, "RUNTIME_INVALID_SETTING"),
  );
  equal(built, false);
});

Deno.test("runProcessor() gives the parts the plugin's config topics", async () => {
  const store = await createMemoryConfigStore();
  const stop = new AbortController();
  const seen: [unknown, number][] = [];
  const { logger } = capture();
  try {
    const running = runProcessor({
      plugin: billing,
      resource: "billing-ticker",
      env: envFrom({}),
      handleSignals: false,
      signal: stop.signal,
      logger,
      configStore: store,
      parts: async ({ config, watchConfig }) => {
        const topic = await config<{ batch?: number }>("billing");
        await topic.set({ batch: 5 });
        await rejects(config("shipping"), (error) => {
          ok(isNetScriptError(error, "RUNTIME_UNKNOWN_TOPIC"));
          match(error.message, /declares no config topic "shipping"; use one of "billing"/);
          return true;
        });
        return [watchConfig<{ batch?: number }>("billing", (value, revision) => {
          seen.push([value, revision]);
        })];
      },
    });
    for (let i = 0; i < 50 && seen.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    await store.write("billing", { batch: 7 });
    await store.write("billing", { batch: "many" });
    for (let i = 0; i < 50 && seen.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
    stop.abort();
    await running;
    deepEqual(seen, [[{ batch: 5 }, 1], [{ batch: 7 }, 2]], "the invalid revision 3 is skipped");
  } finally {
    await store.close();
    configureTelemetry({});
  }
});

Deno.test("runProcessor() gives up on parts that outlast the stop deadline", async () => {
  const stop = new AbortController();
  const running = runProcessor({
    plugin: billing,
    resource: "billing-ticker",
    env: envFrom({}),
    handleSignals: false,
    signal: stop.signal,
    logger: capture().logger,
    parts: () => [{ start: () => new Promise<void>(() => {}), stop: () => new Promise(() => {}) }],
  });
  stop.abort();
  const started = Date.now();
  await rejects(running, (error) => isNetScriptError(error, "RUNTIME_STOP_TIMEOUT"));
  ok(Date.now() - started >= STOP_DEADLINE_MS - 50);
  ok(STOP_DEADLINE_MS < 5_000, "below netscript dev's SIGKILL");
  configureTelemetry({});
});

Deno.test("a processor stops on SIGTERM and SIGINT and exits 0", async (t) => {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    await t.step(signal, async () => {
      await using program = startProgram(TICKER, {
        permissions: ["--allow-env"],
        env: { WORKER_CONCURRENCY: "2", TICKER_STOP_MS: "100" },
      });
      const ticking = await program.waitForRecord((r) => r.msg === "ticking");
      equal(ticking.concurrency, 2);
      equal(ticking.service, "billing-ticker");
      program.child.kill(signal);
      equal((await program.finished).code, 0);
      const messages = program.stdout.map((line) => JSON.parse(line));
      equal(messages.find((r) => r.msg === "processor stopping")?.reason, signal);
      ok(messages.some((r) => r.msg === "closed"));
    });
  }
});

Deno.test("a processor whose part ignores stop() exits 1 before netscript dev would kill it", async () => {
  await using program = startProgram(TICKER, {
    permissions: ["--allow-env"],
    env: { TICKER_STOP_MS: "60000" },
  });
  await program.waitForRecord((r) => r.msg === "ticking");
  const started = Date.now();
  program.child.kill("SIGTERM");
  const status = await program.finished;
  ok(!status.success);
  ok(Date.now() - started < 5_000, `exited within ${Date.now() - started} ms`);
  match(program.stderr.join("\n"), /RUNTIME_STOP_TIMEOUT/);
});

Deno.test("a processor with an invalid setting logs it with its code and exits 1", async () => {
  await using program = startProgram(TICKER, {
    permissions: ["--allow-env"],
    env: { WORKER_CONCURRENCY: "abc" },
  });
  ok(!(await program.finished).success);
  const logged = program.stderr.flatMap((line) => {
    try {
      return [JSON.parse(line)];
    } catch {
      return [];
    }
  }).find((r) => r.msg === "process cannot start");
  equal(logged?.error.code, "RUNTIME_INVALID_SETTING");
  equal(logged?.error.details.variable, "WORKER_CONCURRENCY");
});
