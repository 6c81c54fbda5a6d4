import { equal, match, ok, rejects } from "node:assert/strict";
import { isNetScriptError } from "@netscript/contracts/errors";
import { envFrom } from "@netscript/runtime";
import { redis, REDIS_URL } from "../../../../tests/support/databases.ts";
import { assertAvailable } from "../../../../tests/support/requirements.ts";
import { openJobStore } from "./store.ts";

const env = envFrom;

Deno.test("openJobStore() names the variables WORKERS_STORE=redis reads when none is set", async () => {
  await rejects(openJobStore(env({ WORKERS_STORE: "redis" })), (error: unknown) => {
    ok(isNetScriptError(error, "STORE_INVALID"), String(error));
    match(
      error.message,
      /WORKERS_STORE=redis needs a Redis URL in WORKERS_REDIS_URL, REDIS_URL or CACHE_URI/,
    );
    equal(error.details.store, "redis");
    return true;
  });
});

Deno.test("openJobStore() lists redis among the stores WORKERS_STORE accepts", async () => {
  await rejects(openJobStore(env({ WORKERS_STORE: "mongo" })), (error: unknown) => {
    ok(isNetScriptError(error, "STORE_INVALID"), String(error));
    equal(error.message, 'WORKERS_STORE must be "postgres", "kv" or "redis" (got "mongo")');
    return true;
  });
});

Deno.test("openJobStore() reads WORKERS_REDIS_URL before REDIS_URL and CACHE_URI", async () => {
  await rejects(
    openJobStore(env({
      WORKERS_STORE: "redis",
      WORKERS_REDIS_URL: "redis://127.0.0.1:1",
      REDIS_URL: REDIS_URL,
      CACHE_URI: REDIS_URL,
    })),
    (error: unknown) => {
      ok(isNetScriptError(error, "STORE_UNAVAILABLE"), String(error));
      match(error.message, /at Redis 127\.0\.0\.1:1\/0/);
      return true;
    },
  );
});

Deno.test({
  name: "openJobStore() opens Redis at Aspire's CACHE_URI when WORKERS_STORE=redis",
  ignore: redis.ignore,
  async fn() {
    assertAvailable(redis, "redis");
    const store = await openJobStore(env({
      WORKERS_STORE: "redis",
      CACHE_URI: REDIS_URL,
      DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/app",
    }));
    try {
      equal(store.kind, "redis");
      equal(store.location, REDIS_URL);
      ok(typeof (await store.queue.stats()).queued === "number");
    } finally {
      await store.queue.close();
    }
  },
});

Deno.test("openJobStore() opens .netscript/data/workers.kv by default, creating its folder", async () => {
  const dir = await Deno.makeTempDir({ prefix: "netscript-workers-store-" });
  const cwd = Deno.cwd();
  Deno.chdir(dir);
  try {
    const store = await openJobStore(env({ DATABASE_URL: "file:./app.db" }));
    try {
      equal(store.kind, "kv");
      equal(store.location, ".netscript/data/workers.kv");
      equal((await store.queue.stats()).queued, 0);
    } finally {
      await store.queue.close();
    }
    ok((await Deno.stat(`${dir}/.netscript/data/workers.kv`)).isFile);
  } finally {
    Deno.chdir(cwd);
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("openJobStore() reads WORKERS_KV_PATH before DENO_KV_PATH", async () => {
  const dir = await Deno.makeTempDir({ prefix: "netscript-workers-store-" });
  try {
    const store = await openJobStore(env({
      WORKERS_KV_PATH: `${dir}/own/workers.kv`,
      DENO_KV_PATH: `${dir}/cache.kv`,
    }));
    await store.queue.close();
    equal(store.location, `${dir}/own/workers.kv`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("openJobStore() picks PostgreSQL when DB_URI is a PostgreSQL URL, without its password in location", async () => {
  const store = await openJobStore(env({ DB_URI: "postgresql://app:hunter2@127.0.0.1:1/app" }));
  try {
    equal(store.kind, "postgres");
    equal(store.location, "postgresql://app:***@127.0.0.1:1/app");
  } finally {
    await store.queue.close();
  }
});
