import { deepEqual, ok } from "node:assert/strict";
import { z } from "zod";
import { baseContract, COMMON_ERRORS } from "./mod.ts";

Deno.test("COMMON_ERRORS maps each code to its HTTP status", () => {
  const statuses = Object.fromEntries(
    Object.entries(COMMON_ERRORS).map(([code, item]) => [code, item.status]),
  );
  deepEqual(statuses, {
    BAD_REQUEST: 400,
    UNAUTHORIZED: 401,
    FORBIDDEN: 403,
    NOT_FOUND: 404,
    CONFLICT: 409,
    TOO_MANY_REQUESTS: 429,
    INTERNAL_SERVER_ERROR: 500,
    SERVICE_UNAVAILABLE: 503,
  });
});

Deno.test("COMMON_ERRORS data schemas accept their documented shapes", async (t) => {
  await t.step("BAD_REQUEST carries validation issues", () => {
    const data = { issues: [{ path: ["name", 0], message: "Required", code: "invalid_type" }] };
    deepEqual(COMMON_ERRORS.BAD_REQUEST.data.parse(data), data);
    ok(!COMMON_ERRORS.BAD_REQUEST.data.safeParse({}).success);
  });
  await t.step("NOT_FOUND, CONFLICT and TOO_MANY_REQUESTS data are optional", () => {
    deepEqual(COMMON_ERRORS.NOT_FOUND.data.parse(undefined), undefined);
    deepEqual(COMMON_ERRORS.CONFLICT.data.parse(undefined), undefined);
    deepEqual(COMMON_ERRORS.TOO_MANY_REQUESTS.data.parse(undefined), undefined);
  });
  await t.step("TOO_MANY_REQUESTS says when to retry", () => {
    deepEqual(COMMON_ERRORS.TOO_MANY_REQUESTS.data.parse({ retryAfterSeconds: 3 }), {
      retryAfterSeconds: 3,
    });
    ok(!COMMON_ERRORS.TOO_MANY_REQUESTS.data.safeParse({ retryAfterSeconds: -1 }).success);
  });
  await t.step("SERVICE_UNAVAILABLE may name the dependency and when to retry", () => {
    deepEqual(COMMON_ERRORS.SERVICE_UNAVAILABLE.data.parse(undefined), undefined);
    const data = { dependency: "job store", retryAfterSeconds: 5 };
    deepEqual(COMMON_ERRORS.SERVICE_UNAVAILABLE.data.parse(data), data);
    ok(!COMMON_ERRORS.SERVICE_UNAVAILABLE.data.safeParse({ retryAfterSeconds: 1.5 }).success);
  });
});

Deno.test("baseContract gives every procedure the common error map", () => {
  const procedure = baseContract.route({ method: "GET", path: "/x" }).output(z.string());
  const errorMap = procedure["~orpc"].errorMap;
  deepEqual(Object.keys(errorMap).sort(), Object.keys(COMMON_ERRORS).sort());
  deepEqual(errorMap.NOT_FOUND.status, 404);
});

Deno.test("baseContract procedures can add their own errors beside the common ones", () => {
  const procedure = baseContract.errors({
    QUOTA_EXCEEDED: { status: 402, message: "Quota exceeded" },
  }).output(z.string());
  const errorMap = procedure["~orpc"].errorMap;
  deepEqual(errorMap.QUOTA_EXCEEDED.status, 402);
  deepEqual(errorMap.CONFLICT.status, 409);
});
