import { deepEqual, equal, ok, rejects, throws } from "node:assert/strict";
import { isNetScriptError } from "@netscript/contracts/errors";
import { createLogger, type LogLevel } from "@netscript/telemetry";
import { freshPostgresDatabase, postgres } from "../../tests/support/databases.ts";
import { assertAvailable } from "../../tests/support/requirements.ts";
import { createKvConfigStore } from "./adapters/kv/mod.ts";
import { createMemoryConfigStore } from "./adapters/memory/mod.ts";
import { createPostgresConfigStore } from "./adapters/postgres/mod.ts";
import type { ConfigStore } from "./config_store.ts";
import { createConfigTopic } from "./config_topic.ts";
import type { ConfigSnapshot } from "./value_in_force.ts";

interface WorkersConfig {
  concurrency: number;
  queues?: string[];
}

const SCHEMA = {
  type: "object",
  properties: {
    concurrency: { type: "integer", minimum: 1, default: 2 },
    queues: { type: "array", items: { type: "string" } },
  },
  additionalProperties: false,
} as const;

/** A logger that keeps its lines, parsed, for assertions. */
function recordingLogger() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({
    service: "config-topic-test",
    sink: (line, level: LogLevel) => lines.push({ ...JSON.parse(line), level }),
  });
  return { logger, lines };
}

/** Runs `body` with a fresh memory store and a `workers` topic on it. */
async function withTopic(
  body: (context: {
    store: ConfigStore;
    topic: ReturnType<typeof createConfigTopic<WorkersConfig>>;
    lines: Record<string, unknown>[];
  }) => Promise<void>,
): Promise<void> {
  const store = await createMemoryConfigStore();
  const { logger, lines } = recordingLogger();
  try {
    await body({
      store,
      topic: createConfigTopic<WorkersConfig>({ name: "workers", schema: SCHEMA, store, logger }),
      lines,
    });
  } finally {
    await store.close();
  }
}

/** Awaits `promise`, failing after five seconds; the timer is always cleared. */
async function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out waiting for ${what}`)), 5_000);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A listener that queues its calls; `next()` waits (boundedly) for the next one. */
function listenerCalls<T>() {
  const calls: ConfigSnapshot<T>[] = [];
  let arrived: (() => void) | undefined;
  return {
    listener(value: T, revision: number) {
      calls.push({ value, revision });
      arrived?.();
    },
    async next(): Promise<ConfigSnapshot<T>> {
      if (calls.length === 0) {
        await within(new Promise<void>((resolve) => arrived = resolve), "a listener call");
      }
      return calls.shift()!;
    },
    pending: (): number => calls.length,
  };
}

Deno.test("createConfigTopic() refuses a bad name or schema with a TypeError", async () => {
  const store = await createMemoryConfigStore();
  try {
    throws(() => createConfigTopic({ name: "Workers!", schema: SCHEMA, store }), TypeError);
    throws(
      () => createConfigTopic({ name: "workers", schema: { type: "nope" }, store }),
      TypeError,
    );
  } finally {
    await store.close();
  }
});

Deno.test("ConfigTopic.get() gives the schema's defaults at revision 0 when nothing is stored", () =>
  withTopic(async ({ topic }) => {
    deepEqual(await topic.get(), { value: { concurrency: 2 }, revision: 0 });
  }));

Deno.test("ConfigTopic.get() fails with CONFIG_NOT_SET when nothing is stored and defaults are not valid", async () => {
  const store = await createMemoryConfigStore();
  try {
    const api = createConfigTopic({
      name: "api",
      schema: { type: "object", required: ["url"], properties: { url: { type: "string" } } },
      store,
    });
    await rejects(api.get(), (error: unknown) => {
      if (!isNetScriptError(error, "CONFIG_NOT_SET")) return false;
      ok(error.message.includes("url is required"), error.message);
      return true;
    });
  } finally {
    await store.close();
  }
});

Deno.test("ConfigTopic.set() stores a valid value and returns it with defaults filled in", () =>
  withTopic(async ({ store, topic }) => {
    deepEqual(await topic.set({ queues: ["mail"] }), {
      value: { concurrency: 2, queues: ["mail"] },
      revision: 1,
    });
    deepEqual((await store.read("workers"))?.value, { queues: ["mail"] }, "stored as given");
    deepEqual(await topic.get(), { value: { concurrency: 2, queues: ["mail"] }, revision: 1 });
    await rejects(
      topic.set({ concurrency: 3 }, { expectedRevision: 0 }),
      (error: unknown) => isNetScriptError(error, "CONFIG_REVISION_CONFLICT"),
    );
    equal((await topic.set({ concurrency: 3 }, { expectedRevision: 1 })).revision, 2);
  }));

Deno.test("ConfigTopic.set() refuses an invalid value with every issue, and writes nothing", () =>
  withTopic(async ({ store, topic }) => {
    await rejects(topic.set({ concurrency: 0, queues: [1], color: "red" }), (error: unknown) => {
      if (!isNetScriptError(error, "CONFIG_VALUE_INVALID")) return false;
      equal(
        error.message,
        'Invalid value for config topic "workers": color is not allowed; concurrency must be >= 1; queues[0] must be string',
      );
      deepEqual(error.details, {
        topic: "workers",
        issues: [
          { path: "color", message: "color is not allowed" },
          { path: "concurrency", message: "concurrency must be >= 1" },
          { path: "queues[0]", message: "queues[0] must be string" },
        ],
      });
      return true;
    });
    equal(await store.read("workers"), undefined);
  }));

Deno.test("ConfigTopic.get() ignores an invalid value written straight to the store, warning once", () =>
  withTopic(async ({ store, topic, lines }) => {
    await topic.set({ concurrency: 5 });
    deepEqual(await topic.get(), { value: { concurrency: 5 }, revision: 1 });
    await store.write("workers", { concurrency: -1 });
    deepEqual(await topic.get(), { value: { concurrency: 5 }, revision: 1 }, "the last good value");
    deepEqual(await topic.get(), { value: { concurrency: 5 }, revision: 1 });
    const warnings = lines.filter((line) => line.level === "warn");
    equal(warnings.length, 1, "one warning per invalid revision");
    equal(
      warnings[0]!.msg,
      'Config topic "workers" has an invalid value at revision 2; keeping revision 1',
    );
    deepEqual(warnings[0]!.issues, [{ path: "concurrency", message: "concurrency must be >= 1" }]);
  }));

Deno.test("ConfigTopic.get() falls back to the defaults when the only stored value is invalid", () =>
  withTopic(async ({ store, topic }) => {
    await store.write("workers", "not an object");
    deepEqual(await topic.get(), { value: { concurrency: 2 }, revision: 0 });
  }));

Deno.test("ConfigTopic.get() fails with CONFIG_VALUE_INVALID when nothing valid is left to use", async () => {
  const store = await createMemoryConfigStore();
  const { logger } = recordingLogger();
  try {
    const api = createConfigTopic({
      name: "api",
      schema: { type: "object", required: ["url"], properties: { url: { type: "string" } } },
      store,
      logger,
    });
    await store.write("api", { url: 42 });
    await rejects(api.get(), (error: unknown) => {
      if (!isNetScriptError(error, "CONFIG_VALUE_INVALID")) return false;
      ok(error.message.includes("url must be string"), error.message);
      equal(error.details.revision, 1);
      return true;
    });
  } finally {
    await store.close();
  }
});

Deno.test("ConfigTopic.watch() delivers the value in force, then each valid change, skipping invalid ones", () =>
  withTopic(async ({ store, topic, lines }) => {
    const calls = listenerCalls<WorkersConfig>();
    const stop = new AbortController();
    const watching = topic.watch(calls.listener, { signal: stop.signal });
    try {
      deepEqual(await calls.next(), { value: { concurrency: 2 }, revision: 0 }, "defaults first");
      await topic.set({ concurrency: 4 });
      deepEqual(await calls.next(), { value: { concurrency: 4 }, revision: 1 });
      await store.write("workers", { concurrency: "many" });
      await topic.set({ concurrency: 6 });
      deepEqual(
        await calls.next(),
        { value: { concurrency: 6 }, revision: 3 },
        "revision 2 skipped",
      );
      ok(
        lines.some((line) => line.level === "warn" && line.revision === 2),
        "the invalid revision is logged",
      );
      deepEqual(await topic.get(), { value: { concurrency: 6 }, revision: 3 });
    } finally {
      stop.abort();
      await within(watching, "the end of the watch");
    }
    equal(calls.pending(), 0);
  }));

Deno.test("ConfigTopic.watch() starts from the last good value when the stored one is invalid", () =>
  withTopic(async ({ store, topic }) => {
    await topic.set({ concurrency: 3 });
    await topic.get();
    await store.write("workers", { concurrency: 0 });
    const calls = listenerCalls<WorkersConfig>();
    const stop = new AbortController();
    const watching = topic.watch(calls.listener, { signal: stop.signal });
    try {
      deepEqual(await calls.next(), { value: { concurrency: 3 }, revision: 1 });
    } finally {
      stop.abort();
      await within(watching, "the end of the watch");
    }
  }));

Deno.test("ConfigTopic.watch() logs a listener that throws and goes on", () =>
  withTopic(async ({ topic, lines }) => {
    const calls = listenerCalls<WorkersConfig>();
    const stop = new AbortController();
    const watching = topic.watch((value, revision) => {
      calls.listener(value, revision);
      if (revision === 1) throw new Error("cannot resize the pool");
    }, { signal: stop.signal });
    try {
      equal((await calls.next()).revision, 0);
      await topic.set({ concurrency: 4 });
      equal((await calls.next()).revision, 1);
      await topic.set({ concurrency: 5 });
      equal((await calls.next()).revision, 2, "the watch went on");
      const [failure] = lines.filter((line) => line.level === "error");
      equal(
        failure?.msg,
        'A listener of config topic "workers" failed on revision 1; the watch goes on',
      );
      equal((failure?.error as { message?: string }).message, "cannot resize the pool");
    } finally {
      stop.abort();
      await within(watching, "the end of the watch");
    }
  }));

/** Checks that a watch on one store sees a `set` made through another store instance. */
async function assertHotReload(reader: ConfigStore, writer: ConfigStore): Promise<void> {
  const watched = createConfigTopic<WorkersConfig>({
    name: "workers",
    schema: SCHEMA,
    store: reader,
  });
  const setter = createConfigTopic<WorkersConfig>({
    name: "workers",
    schema: SCHEMA,
    store: writer,
  });
  const calls = listenerCalls<WorkersConfig>();
  const stop = new AbortController();
  const watching = watched.watch(calls.listener, { signal: stop.signal });
  try {
    deepEqual(await calls.next(), { value: { concurrency: 2 }, revision: 0 });
    await setter.set({ concurrency: 9 });
    deepEqual(await calls.next(), { value: { concurrency: 9 }, revision: 1 });
    await setter.set({ concurrency: 10, queues: ["a"] });
    deepEqual(await calls.next(), { value: { concurrency: 10, queues: ["a"] }, revision: 2 });
  } finally {
    stop.abort();
    await within(watching, "the end of the watch");
  }
}

Deno.test("a watch sees a set made through another KV store on the same file", async () => {
  const dir = await Deno.makeTempDir({ prefix: "netscript-config-topic-" });
  try {
    const [reader, writer] = await Promise.all([
      createKvConfigStore({ path: `${dir}/config.sqlite3` }),
      createKvConfigStore({ path: `${dir}/config.sqlite3` }),
    ]);
    try {
      await assertHotReload(reader, writer);
    } finally {
      await Promise.all([reader.close(), writer.close()]);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "a watch sees a set made through another Postgres store on the same database",
  ignore: postgres.ignore,
  async fn() {
    assertAvailable(postgres, "postgres");
    const database = await freshPostgresDatabase();
    try {
      const [reader, writer] = await Promise.all([
        createPostgresConfigStore({ url: database.url }),
        createPostgresConfigStore({ url: database.url }),
      ]);
      try {
        await assertHotReload(reader, writer);
      } finally {
        await Promise.all([reader.close(), writer.close()]);
      }
    } finally {
      await database.drop();
    }
  },
});
