import { deepEqual, equal, throws } from "node:assert/strict";
import fc from "fast-check";
import { isNetScriptError } from "@netscript/contracts/errors";
import { envFrom, selectStore } from "./mod.ts";

const PG = "postgresql://app:hunter2@127.0.0.1:5432/app";

Deno.test("selectStore() follows the workspace's database when <PREFIX>_STORE is unset", async (t) => {
  await t.step("PostgreSQL from DATABASE_URL", () => {
    deepEqual(selectStore({ prefix: "WORKERS", env: envFrom({ DATABASE_URL: PG }) }), {
      kind: "postgres",
      url: PG,
      location: "postgresql://app:***@127.0.0.1:5432/app",
    });
  });
  await t.step("PostgreSQL from Aspire's DB_URI, postgres:// too", () => {
    const url = "postgres://u@db/app";
    equal(selectStore({ prefix: "WORKERS", env: envFrom({ DB_URI: url }) }).kind, "postgres");
  });
  await t.step("Deno KV for SQLite, MySQL or nothing", () => {
    for (const url of ["file:./app.db", "mysql://root@db/app", undefined]) {
      deepEqual(selectStore({ prefix: "WORKERS", env: envFrom({ DATABASE_URL: url }) }), {
        kind: "kv",
        path: ".netscript/data/workers.kv",
        location: ".netscript/data/workers.kv",
      });
    }
  });
});

Deno.test("selectStore() reads the KV file from <PREFIX>_KV_PATH, then DENO_KV_PATH, then the slug", () => {
  const path = (vars: Record<string, string>, slug?: string) => {
    const selected = selectStore({ prefix: "ORDER_SYNC", env: envFrom(vars), slug });
    return selected.kind === "kv" ? selected.path : selected.kind;
  };
  equal(path({ ORDER_SYNC_KV_PATH: "a.kv", DENO_KV_PATH: "b.kv" }), "a.kv");
  equal(path({ DENO_KV_PATH: "b.kv" }), "b.kv");
  equal(path({}), ".netscript/data/order-sync.kv");
  equal(path({}, "orders"), ".netscript/data/orders.kv");
  equal(path({ ORDER_SYNC_KV_PATH: "" }), ".netscript/data/order-sync.kv", "empty counts as unset");
});

Deno.test("selectStore() takes an explicit <PREFIX>_STORE over the database", () => {
  equal(
    selectStore({ prefix: "WORKERS", env: envFrom({ WORKERS_STORE: "kv", DATABASE_URL: PG }) })
      .kind,
    "kv",
  );
  deepEqual(
    selectStore({
      prefix: "WORKERS",
      env: envFrom({
        WORKERS_STORE: "redis",
        WORKERS_REDIS_URL: "redis://:pw@a:6379/1",
        REDIS_URL: "redis://b",
        CACHE_URI: "redis://c",
      }),
    }),
    { kind: "redis", url: "redis://:pw@a:6379/1", location: "redis://:***@a:6379/1" },
  );
  for (
    const [vars, url] of [
      [{ REDIS_URL: "redis://b", CACHE_URI: "redis://c" }, "redis://b"],
      [{ CACHE_URI: "redis://c" }, "redis://c"],
    ] as const
  ) {
    const selected = selectStore({
      prefix: "WORKERS",
      env: envFrom({ WORKERS_STORE: "redis", ...vars }),
    });
    equal(selected.kind === "redis" && selected.url, url);
  }
});

Deno.test("selectStore() says which variable to set when the store cannot be chosen", async (t) => {
  const cases = [
    [{ WORKERS_STORE: "mongo" }, 'WORKERS_STORE must be "postgres", "kv" or "redis" (got "mongo")'],
    [
      { WORKERS_STORE: "postgres" },
      "WORKERS_STORE=postgres needs a PostgreSQL URL in DATABASE_URL or DB_URI (got none)",
    ],
    [
      { WORKERS_STORE: "postgres", DATABASE_URL: "mysql://root:pw@db/app" },
      'WORKERS_STORE=postgres needs a PostgreSQL URL in DATABASE_URL or DB_URI (got "mysql://root:***@db/app")',
    ],
    [
      { WORKERS_STORE: "redis" },
      "WORKERS_STORE=redis needs a Redis URL in WORKERS_REDIS_URL, REDIS_URL or CACHE_URI (got none)",
    ],
  ] as const;
  for (const [vars, message] of cases) {
    await t.step(message, () => {
      throws(() => selectStore({ prefix: "WORKERS", env: envFrom(vars) }), (error: unknown) => {
        if (!isNetScriptError(error, "STORE_INVALID")) return false;
        equal(error.message, message);
        deepEqual(error.details, { variable: "WORKERS_STORE", store: vars.WORKERS_STORE });
        return true;
      });
    });
  }
});

Deno.test("selectStore() never shows a password in a location (property)", () => {
  fc.assert(fc.property(
    fc.constantFrom("postgresql", "postgres"),
    fc.stringMatching(/^[a-z]{1,8}$/),
    fc.stringMatching(/^[A-Za-z0-9!$%^*()_+-]{4,16}$/),
    (scheme, user, password) => {
      const url = `${scheme}://${user}:${password}@db.internal:5432/app`;
      const selected = selectStore({ prefix: "X", env: envFrom({ DATABASE_URL: url }) });
      equal(selected.location.includes(password), false);
    },
  ));
});

Deno.test("selectStore() refuses a store the plugin does not keep its data in, with or without its URL", () => {
  for (
    const env of [{ BILLING_STORE: "redis" }, {
      BILLING_STORE: "redis",
      REDIS_URL: "redis://127.0.0.1:6379",
    }]
  ) {
    throws(
      () => selectStore({ prefix: "BILLING", env: envFrom(env), kinds: ["postgres", "kv"] }),
      (error) =>
        isNetScriptError(error, "STORE_INVALID") &&
        error.message ===
          "BILLING_STORE=redis is not supported: this plugin keeps its data in postgres or kv; set BILLING_STORE to postgres or kv, or unset it",
    );
  }
  throws(
    () =>
      selectStore({
        prefix: "BILLING",
        env: envFrom({ BILLING_STORE: "mongo" }),
        kinds: ["postgres", "kv"],
      }),
    (error) =>
      isNetScriptError(error, "STORE_INVALID") &&
      error.message === 'BILLING_STORE must be "postgres" or "kv" (got "mongo")',
  );
  equal(selectStore({ prefix: "BILLING", env: envFrom({}), kinds: ["postgres", "kv"] }).kind, "kv");
});
