import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { isNetScriptError } from "@netscript/contracts/errors";
import { defineJob } from "@netscript/plugin-workers-core";
import { z } from "zod";
import { github } from "../webhooks/github.ts";
import { unverified } from "../webhooks/unverified.ts";
import type { TriggersErrorCode } from "../triggers_error_codes.ts";
import {
  DEFAULT_WEBHOOK_MAX_BODY_BYTES,
  defineWebhook,
  MAX_WEBHOOK_BODY_BYTES,
  type WebhookOptions,
} from "./define_webhook.ts";

const build = defineJob({ name: "build", input: z.object({ sha: z.string() }), handler: () => {} });

/** Asserts that `define` throws TRIGGERS_INVALID_DEFINITION with a message holding `problem`. */
function throwsInvalid(define: () => unknown, problem: RegExp): void {
  throws(define, (error: unknown) => {
    ok(isNetScriptError<TriggersErrorCode>(error, "TRIGGERS_INVALID_DEFINITION"), String(error));
    ok(problem.test(error.message), `"${error.message}" does not match ${problem}`);
    return true;
  });
}

/** defineWebhook() of a valid webhook changed by `overrides`, typed loosely to pass bad values. */
function webhookWith(overrides: Record<string, unknown>) {
  return () =>
    defineWebhook({
      name: "github-push",
      verify: unverified(),
      dispatch: () => null,
      ...overrides,
    } as unknown as WebhookOptions<string, z.ZodUnknown, typeof build>);
}

Deno.test("defineWebhook() returns a frozen webhook trigger with defaults", () => {
  const scheme = github({ secretEnv: "GITHUB_WEBHOOK_SECRET" });
  const input = z.object({ after: z.string() });
  const dispatch = () => null;
  const hook = defineWebhook({ name: "github-push", verify: scheme, input, dispatch });
  deepEqual(
    { kind: hook.kind, type: hook.type, name: hook.name, maxBodyBytes: hook.maxBodyBytes },
    { kind: "trigger", type: "webhook", name: "github-push", maxBodyBytes: 1_048_576 },
  );
  equal(hook.verify, scheme);
  equal(hook.input, input);
  equal(hook.dispatch, dispatch);
  ok(Object.isFrozen(hook));
  equal(DEFAULT_WEBHOOK_MAX_BODY_BYTES, 1_048_576);
  equal(defineWebhook({ name: "any", verify: unverified(), dispatch }).input, null);
});

Deno.test("defineWebhook() accepts maxBodyBytes from 1 to the largest allowed", () => {
  equal(webhookWith({ maxBodyBytes: 1 })().maxBodyBytes, 1);
  equal(webhookWith({ maxBodyBytes: MAX_WEBHOOK_BODY_BYTES })().maxBodyBytes, 16_777_216);
});

Deno.test("defineWebhook() refuses a definition it cannot run, naming the problem", async (t) => {
  await t.step("a name outside the allowed characters", () => {
    throwsInvalid(webhookWith({ name: "GitHub Push" }), /"GitHub Push".*name must match/);
    throwsInvalid(webhookWith({ name: "" }), /name must match/);
    throwsInvalid(webhookWith({ name: "a".repeat(129) }), /name must match/);
    throwsInvalid(webhookWith({ name: 42 }), /name must match/);
  });
  await t.step("no dispatch function", () => {
    throwsInvalid(
      webhookWith({ dispatch: undefined }),
      /"github-push".*dispatch must be a function/,
    );
    throwsInvalid(webhookWith({ dispatch: { job: build } }), /dispatch must be a function/);
  });
  await t.step("a verify that is not a scheme", () => {
    throwsInvalid(webhookWith({ verify: undefined }), /verify must be a scheme/);
    throwsInvalid(webhookWith({ verify: "github" }), /verify must be a scheme/);
    throwsInvalid(webhookWith({ verify: { kind: "github" } }), /verify must be a scheme/);
  });
  await t.step("an input that is not a zod schema", () => {
    throwsInvalid(webhookWith({ input: { after: "string" } }), /input must be a zod schema/);
  });
  await t.step("maxBodyBytes out of range or not an integer", () => {
    for (const maxBodyBytes of [0, -1, 1.5, MAX_WEBHOOK_BODY_BYTES + 1, Number.NaN, "1024"]) {
      throwsInvalid(
        webhookWith({ maxBodyBytes }),
        /maxBodyBytes must be an integer from 1 to 16777216/,
      );
    }
  });
  await t.step("the error's details name the trigger, the builder and the problem", () => {
    throws(webhookWith({ maxBodyBytes: 0 }), (error: unknown) => {
      ok(isNetScriptError(error));
      deepEqual(error.details, {
        trigger: "github-push",
        builder: "defineWebhook",
        problem: "maxBodyBytes must be an integer from 1 to 16777216, got 0",
      });
      return true;
    });
  });
});
