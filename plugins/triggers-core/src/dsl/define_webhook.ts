import type { StartableSaga } from "@netscript/plugin-sagas-core";
import type { JobDefinition } from "@netscript/plugin-workers-core";
import type { z } from "zod";
import type { WebhookScheme } from "../webhooks/webhook_scheme.ts";
import {
  checkCommonOptions,
  type DispatchFunction,
  invalidTrigger,
  type TriggerDefinitionBase,
  type TriggerEventBase,
} from "./trigger_definition.ts";

/** The largest body a webhook accepts unless its `maxBodyBytes` says otherwise: 1 MiB. */
export const DEFAULT_WEBHOOK_MAX_BODY_BYTES = 1_048_576;

/** The largest `maxBodyBytes` a webhook may set: 16 MiB. */
export const MAX_WEBHOOK_BODY_BYTES = 16_777_216;

/**
 * What a webhook trigger's `dispatch` receives for one delivery.
 *
 * @template TPayload The payload, as the trigger's `input` schema outputs it.
 */
export interface WebhookEvent<TPayload = unknown> extends TriggerEventBase {
  /** `webhook` for a received request; `manual` and `replay` for the management API's. */
  readonly source: "webhook" | "manual" | "replay";
  /** The sender's delivery id (the deduplication key); `null` for a manual fire or a replay. */
  readonly key: string | null;
  /**
   * The body: parsed JSON (a form-encoded body's `payload` field, as GitHub
   * sends, is parsed too), else the text; then checked by `input`.
   */
  readonly payload: TPayload;
  /** The request's headers, lower-case, without credentials and signatures. */
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * The options of {@linkcode defineWebhook}.
 *
 * @template TName The trigger's name.
 * @template TSchema The payload's schema.
 * @template TJob The job `dispatch` starts.
 * @template TSaga The saga `dispatch` starts.
 */
export interface WebhookOptions<
  TName extends string,
  TSchema extends z.ZodType,
  TJob extends JobDefinition,
  TSaga extends StartableSaga = StartableSaga,
> {
  /** The trigger's name, unique in the workspace; the sender posts to `/hooks/<name>`. */
  readonly name: TName;
  /**
   * How requests are verified, over the exact bytes received, before
   * anything is parsed or stored: `standardWebhooks({ secretEnv })`,
   * `github(…)`, `stripe(…)`, `hmac(…)`, or an explicit `unverified()`.
   */
  readonly verify: WebhookScheme;
  /**
   * The payload's schema. A verified delivery whose payload fails it is
   * answered 422, recorded as `rejected`, and never dispatched.
   * @default {any payload}
   */
  readonly input?: TSchema | undefined;
  /** The largest body accepted; a larger one is refused with 413 before it is read in full. @default {1048576} */
  readonly maxBodyBytes?: number | undefined;
  /** The job or saga to start for a delivery, or `null` for none. */
  readonly dispatch: DispatchFunction<WebhookEvent<z.output<TSchema>>, TJob, TSaga>;
}

/**
 * A webhook trigger, as {@linkcode defineWebhook} returns it.
 *
 * @template TName The trigger's name.
 * @template TPayload The payload's type.
 * @template TJob The job it starts.
 * @template TSaga The saga it starts.
 */
export interface WebhookDefinition<
  TName extends string = string,
  TPayload = unknown,
  TJob extends JobDefinition = JobDefinition,
  TSaga extends StartableSaga = StartableSaga,
> extends TriggerDefinitionBase<"webhook", TName> {
  /** How requests are verified. */
  readonly verify: WebhookScheme;
  /** The payload's schema, or `null` for any payload. */
  readonly input: z.ZodType<TPayload> | null;
  /** The largest body accepted. */
  readonly maxBodyBytes: number;
  /**
   * The job or saga to start for a delivery. Declared as a method, so a webhook
   * typed by its schema is still a `WebhookDefinition` (and a
   * `TriggerDefinition`) where any payload is expected.
   *
   * @param event The delivery's event.
   * @returns The job or saga to start, or `null` for none.
   */
  dispatch(
    event: WebhookEvent<TPayload>,
  ): ReturnType<DispatchFunction<WebhookEvent<TPayload>, TJob, TSaga>>;
}

/**
 * Defines a webhook trigger: `triggers-api` receives `POST /hooks/<name>`,
 * verifies the signature over the exact bytes received, drops a repeated
 * delivery id, records the delivery and answers `202 { deliveryId }`; the
 * `trigger-processor` then calls `dispatch` and starts the job or saga it
 * returns, exactly once per delivery. Put one `export default defineWebhook(…)` in a
 * file under `triggers/`.
 *
 * @param options The trigger.
 * @returns The frozen definition.
 * @throws {NetScriptError} `TRIGGERS_INVALID_DEFINITION`, naming the problem.
 *
 * @example
 * ```ts
 * import { defineJob } from "@netscript/plugin-workers-core";
 * import { defineWebhook, github } from "@netscript/plugin-triggers-core";
 * import { z } from "zod";
 *
 * const build = defineJob({
 *   name: "build-commit",
 *   input: z.object({ sha: z.string() }),
 *   handler: () => {},
 * });
 * const pushes = defineWebhook({
 *   name: "github-push",
 *   verify: github({ secretEnv: "GITHUB_WEBHOOK_SECRET" }),
 *   input: z.object({ after: z.string() }),
 *   dispatch: (event) =>
 *     event.headers["x-github-event"] === "push"
 *       ? { job: build, input: { sha: event.payload.after } }
 *       : null,
 * });
 * console.log(pushes.type, pushes.maxBodyBytes); // "webhook" 1048576
 * ```
 */
export function defineWebhook<
  const TName extends string,
  TSchema extends z.ZodType = z.ZodUnknown,
  TJob extends JobDefinition = JobDefinition,
  TSaga extends StartableSaga = StartableSaga,
>(
  options: WebhookOptions<TName, TSchema, TJob, TSaga>,
): WebhookDefinition<TName, z.output<TSchema>, TJob, TSaga> {
  checkCommonOptions("defineWebhook", options);
  const verify = options.verify as WebhookScheme | undefined;
  if (typeof verify?.verify !== "function") {
    throw invalidTrigger(
      "defineWebhook",
      options.name,
      "verify must be a scheme: standardWebhooks(…), github(…), stripe(…), hmac(…) or unverified()",
    );
  }
  const input = options.input ?? null;
  if (input !== null && typeof (input as { safeParse?: unknown }).safeParse !== "function") {
    throw invalidTrigger("defineWebhook", options.name, "input must be a zod schema");
  }
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_WEBHOOK_MAX_BODY_BYTES;
  if (
    !Number.isSafeInteger(maxBodyBytes) || maxBodyBytes < 1 ||
    maxBodyBytes > MAX_WEBHOOK_BODY_BYTES
  ) {
    throw invalidTrigger(
      "defineWebhook",
      options.name,
      `maxBodyBytes must be an integer from 1 to ${MAX_WEBHOOK_BODY_BYTES}, got ${maxBodyBytes}`,
    );
  }
  return Object.freeze({
    kind: "trigger",
    type: "webhook",
    name: options.name,
    verify: options.verify,
    input: input as z.ZodType<z.output<TSchema>> | null,
    maxBodyBytes,
    dispatch: options.dispatch,
  });
}
