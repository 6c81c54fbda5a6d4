import { deepEqual, equal, match } from "node:assert/strict";
import {
  healthFailureFix,
  type HealthProbe,
  judgeHealthProbe,
  summarizeHealthFailure,
} from "./health_failure.ts";

const MISSING_DB: HealthProbe = {
  kind: "failing",
  status: 503,
  failure: "database: Database `app` does not exist on the database server",
};

Deno.test("judgeHealthProbe() fails a service only once the same check has failed for the whole window", async (t) => {
  const window = { failAfterMs: 3_000 };
  await t.step("a healthy answer ends the wait", () => {
    deepEqual(judgeHealthProbe(undefined, { kind: "healthy" }, { now: 0, ...window }), {
      action: "healthy",
    });
  });
  await t.step("a first failure starts the count", () => {
    deepEqual(judgeHealthProbe(undefined, MISSING_DB, { now: 1_000, ...window }), {
      action: "wait",
      failing: { failure: MISSING_DB.failure, since: 1_000 },
    });
  });
  await t.step("the same failure within the window: wait", () => {
    const failing = { failure: MISSING_DB.failure, since: 1_000 };
    deepEqual(judgeHealthProbe(failing, MISSING_DB, { now: 3_999, ...window }), {
      action: "wait",
      failing,
    });
  });
  await t.step("the same failure for the whole window: failed", () => {
    const failing = { failure: MISSING_DB.failure, since: 1_000 };
    deepEqual(judgeHealthProbe(failing, MISSING_DB, { now: 4_000, ...window }), {
      action: "fail",
      failure: MISSING_DB.failure,
      forMs: 3_000,
    });
  });
  await t.step("another failure starts the count again", () => {
    const failing = { failure: "database: timed out after 5000 ms", since: 0 };
    deepEqual(judgeHealthProbe(failing, MISSING_DB, { now: 10_000, ...window }), {
      action: "wait",
      failing: { failure: MISSING_DB.failure, since: 10_000 },
    });
  });
  await t.step("no answer (still booting) is waited for and forgets the failure", () => {
    const failing = { failure: MISSING_DB.failure, since: 0 };
    deepEqual(judgeHealthProbe(failing, { kind: "unreachable" }, { now: 10_000, ...window }), {
      action: "wait",
      failing: undefined,
    });
  });
});

Deno.test("summarizeHealthFailure() names each failing check with the last line of its error, without passwords", () => {
  const body = JSON.stringify({
    status: "fail",
    checks: [
      {
        name: "database",
        status: "fail",
        durationMs: 3,
        error:
          "\nInvalid `prisma.note.count()` invocation:\n\n\nDatabase `app` does not exist on the database server",
      },
      { name: "cache", status: "pass", durationMs: 1 },
      {
        name: "store",
        status: "fail",
        durationMs: 1,
        error: "connect to postgresql://app:hunter2@db:5432/jobs failed",
      },
    ],
    failing: ["database", "store"],
  });
  equal(
    summarizeHealthFailure(503, body),
    "database: Database `app` does not exist on the database server; store: connect to postgresql://app:***@db:5432/jobs failed",
  );
  equal(summarizeHealthFailure(503, "Service Unavailable"), "status 503");
  equal(summarizeHealthFailure(404, "{}"), "status 404");
  equal(summarizeHealthFailure(500, '{"checks":[]}'), "status 500");
});

Deno.test("healthFailureFix() gives the command for the usual database causes", () => {
  match(healthFailureFix(MISSING_DB.failure), /netscript db create, then .* netscript db deploy/);
  match(
    healthFailureFix(
      "database: The table `public.Note` does not exist in the current database.",
    ),
    /^apply the migrations with netscript db deploy/,
  );
  match(
    healthFailureFix(
      "store: The job store is not set up yet; try again once its database is migrated",
    ),
    /netscript db deploy/,
  );
  match(healthFailureFix("database: password authentication failed"), /user and password/);
  match(healthFailureFix("database: Can't reach database server"), /start the database/);
  match(healthFailureFix("status 500"), /fix what the check reports/);
});
