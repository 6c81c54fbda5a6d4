import { deepEqual, equal, match, ok } from "node:assert/strict";
import { isNetScriptError, NetScriptError } from "@netscript/contracts/errors";
import { classifyStoreError, storeUnavailableError } from "./mod.ts";

const WORKERS = {
  target: "db:5432/app",
  dependency: "job store",
  label: "the workers job store",
  tables: "workers tables",
} as const;

function driverError(message: string, fields: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), fields);
}

Deno.test("classifyStoreError() turns PostgreSQL connection failures into STORE_UNAVAILABLE", async (t) => {
  const cases = [
    [
      "a refused socket",
      driverError("connect ECONNREFUSED 10.0.0.1:5432", { code: "ECONNREFUSED" }),
    ],
    [
      "a shutdown",
      driverError("terminating connection due to administrator command", { code: "57P01" }),
    ],
    ["a missing database", driverError('database "app" does not exist', { code: "3D000" })],
    ["refused credentials", driverError("password authentication failed", { code: "28P01" })],
    ["pg's own failure", driverError("Connection terminated unexpectedly")],
    [
      "a Prisma error wrapping one",
      driverError("Invalid prisma call", {
        code: "P2010",
        meta: {
          driverAdapterError: {
            cause: { originalCode: "08006", originalMessage: "connection failure" },
          },
        },
      }),
    ],
  ] as const;
  for (const [what, error] of cases) {
    await t.step(what, () => {
      const classified = classifyStoreError(error, { ...WORKERS, driver: "postgres" });
      ok(isNetScriptError(classified, "STORE_UNAVAILABLE"), String(classified));
      match(classified.message, /^Cannot reach the workers job store at db:5432\/app: /);
      match(classified.message, /check that PostgreSQL is running there/);
      equal(classified.details.dependency, "job store");
      equal(classified.details.target, "db:5432/app");
      equal(classified.cause, error);
    });
  }
});

Deno.test("classifyStoreError() turns missing tables into SCHEMA_MISSING pointing at netscript db migrate", () => {
  for (const code of ["42P01", "42703"]) {
    const error = driverError('relation "workers_jobs" does not exist', { code });
    const classified = classifyStoreError(error, { ...WORKERS, driver: "postgres" });
    ok(isNetScriptError(classified, "SCHEMA_MISSING"));
    equal(
      classified.message,
      'The workers tables in the database at db:5432/app are missing or out of date (relation "workers_jobs" does not exist); run netscript db migrate (netscript db deploy in production) to create them',
    );
    deepEqual(classified.details, {
      target: "db:5432/app",
      dependency: "job store",
      sqlState: code,
    });
  }
});

Deno.test("classifyStoreError() turns Redis failures into STORE_UNAVAILABLE", () => {
  for (
    const error of [
      driverError("connect ECONNREFUSED 127.0.0.1:1", { code: "ECONNREFUSED" }),
      driverError("Connection is closed."),
      driverError("Reached the max retries per request limit (which is 2)."),
      driverError("LOADING Redis is loading the dataset in memory"),
      driverError("WRONGPASS invalid username-password pair or user is disabled."),
      driverError("READONLY You can't write against a read only replica."),
    ]
  ) {
    const classified = classifyStoreError(error, {
      ...WORKERS,
      driver: "redis",
      target: "c:6379/0",
    });
    ok(isNetScriptError(classified, "STORE_UNAVAILABLE"), error.message);
    match(classified.message, /^Cannot reach the workers job store at Redis c:6379\/0: /);
    ok(!classified.message.includes(".;"), "no period before the advice");
  }
});

Deno.test("classifyStoreError() turns KV file failures into STORE_UNAVAILABLE", () => {
  for (
    const error of [
      new Error("unable to open database file: /x/y.kv"),
      new Error("file is not a database"),
      new TypeError("database is locked"),
      Object.assign(new Error("Not a directory (os error 20)"), { name: "NotADirectory" }),
    ]
  ) {
    const classified = classifyStoreError(error, { driver: "kv", target: '"/x/y.kv"' });
    ok(isNetScriptError(classified, "STORE_UNAVAILABLE"), error.message);
    match(classified.message, /^Cannot open the store at "\/x\/y\.kv": /);
    match(classified.message, /in a folder this process may write$/);
  }
});

Deno.test("classifyStoreError() leaves bugs, bad arguments and NetScript errors as they are", () => {
  const own = new NetScriptError("WORKERS_UNKNOWN_JOB", "no such job");
  for (
    const [driver, error] of [
      ["postgres", driverError('syntax error at or near "SELEC"', { code: "42601" })],
      ["postgres", driverError("duplicate key value", { code: "23505" })],
      ["redis", driverError("ERR wrong number of arguments for 'get' command")],
      ["kv", new TypeError("Key too large for write (max 2048 bytes)")],
      ["redis", own],
      ["postgres", "a string"],
    ] as const
  ) {
    equal(classifyStoreError(error, { driver, target: "x" }), error);
  }
});

Deno.test("store errors never carry a password, in the message or the details", () => {
  const secret = "s3cr3t-Pa55";
  const error = driverError(`could not connect to postgresql://app:${secret}@db:5432/app`, {
    code: "ECONNREFUSED",
  });
  const classified = classifyStoreError(error, {
    driver: "postgres",
    target: `postgresql://app:${secret}@db:5432/app`,
  });
  ok(isNetScriptError(classified));
  ok(!classified.message.includes(secret), classified.message);
  ok(!JSON.stringify(classified).includes(secret), JSON.stringify(classified));
  const made = storeUnavailableError(`password=${secret} refused`, {
    driver: "redis",
    target: "c",
  });
  ok(!made.message.includes(secret), made.message);
});
