/**
 * What every trigger definition shares: its name rule, what its `dispatch`
 * returns, and the event each kind hands to it.
 *
 * @module
 */
import { NetScriptError } from "@netscript/contracts/errors";
import type { StartableSaga } from "@netscript/plugin-sagas-core";
import type { JobDefinition } from "@netscript/plugin-workers-core";
import type { z } from "zod";
import type { TriggersErrorCode } from "../triggers_error_codes.ts";
import type { DeliverySource } from "../ports/delivery_store.ts";

/** What a trigger's name must match: lower-case letters, digits, `.`, `_`, `:`, `-`; at most 128 characters. */
export const TRIGGER_NAME_PATTERN: RegExp = /^[a-z0-9][a-z0-9._:-]{0,127}$/;

/**
 * What a trigger's `dispatch` returns to start a job: the job's definition
 * (imported from its file under `jobs/`) and its input, typed by the job's
 * schema.
 *
 * @template TJob The job.
 */
export interface JobDispatch<TJob extends JobDefinition = JobDefinition> {
  /** The job to start. */
  readonly job: TJob;
  /** Its input, checked against the job's schema when the job is enqueued. */
  readonly input: z.input<TJob["input"]>;
  /** Never set: a dispatch starts a job or a saga, not both. */
  readonly saga?: never;
}

/**
 * What a trigger's `dispatch` returns to start a saga: the saga's
 * definition (imported from its file under `sagas/`) and its input, typed
 * by the saga's schema. The saga's id is `trigger-delivery-<deliveryId>`,
 * so a delivery starts its saga once however often it is dispatched.
 *
 * @template TSaga The saga.
 */
export interface SagaDispatch<TSaga extends StartableSaga = StartableSaga> {
  /** The saga to start. */
  readonly saga: TSaga;
  /** Its input, checked against the saga's schema when the saga is started. */
  readonly input: z.input<TSaga["input"]>;
  /** Never set: a dispatch starts a job or a saga, not both. */
  readonly job?: never;
}

/**
 * A trigger's `dispatch`: from one delivery's event, the job or the saga
 * to start, or `null` to start nothing (the delivery is recorded as
 * `skipped`). It may be async. Throwing fails the dispatch attempt, which
 * is retried.
 *
 * @template TEvent The event the trigger hands it.
 * @template TJob The job it starts.
 * @template TSaga The saga it starts.
 */
export type DispatchFunction<
  TEvent,
  TJob extends JobDefinition,
  TSaga extends StartableSaga = StartableSaga,
> = (
  event: TEvent,
) =>
  | JobDispatch<TJob>
  | SagaDispatch<TSaga>
  | null
  | Promise<JobDispatch<TJob> | SagaDispatch<TSaga> | null>;

/** What every trigger's event carries. */
export interface TriggerEventBase {
  /** The trigger's name. */
  readonly trigger: string;
  /** The delivery's id in the delivery store. */
  readonly deliveryId: string;
  /** Where the delivery came from. */
  readonly source: DeliverySource;
  /** When the delivery was recorded. */
  readonly receivedAt: Date;
}

/** The kinds of trigger: `defineWebhook`, `defineCron`, `defineEvent`. */
export type TriggerType = "webhook" | "cron" | "event";

/** What every trigger definition holds. */
export interface TriggerDefinitionBase<TType extends TriggerType, TName extends string> {
  /** Always `trigger`: every file under `triggers/` default-exports one. */
  readonly kind: "trigger";
  /** Which builder made it. */
  readonly type: TType;
  /** The trigger's name, unique in the workspace. */
  readonly name: TName;
}

/**
 * The `TRIGGERS_INVALID_DEFINITION` error of a builder, naming the trigger
 * and the problem.
 *
 * @param builder The builder, e.g. `defineWebhook`.
 * @param name The trigger's name as given.
 * @param problem What is wrong.
 * @param cause The underlying error.
 * @returns The error to throw.
 */
export function invalidTrigger(
  builder: string,
  name: unknown,
  problem: string,
  cause?: unknown,
): NetScriptError {
  return new NetScriptError<TriggersErrorCode>(
    "TRIGGERS_INVALID_DEFINITION",
    `Invalid trigger ${JSON.stringify(String(name))} in ${builder}(): ${problem}`,
    { details: { trigger: String(name), builder, problem }, cause },
  );
}

/**
 * Checks the name and `dispatch` every builder takes.
 *
 * @param builder The builder.
 * @param options The options given.
 * @throws {NetScriptError} `TRIGGERS_INVALID_DEFINITION`.
 */
export function checkCommonOptions(
  builder: string,
  options: { readonly name: string; readonly dispatch: unknown },
): void {
  if (typeof options.name !== "string" || !TRIGGER_NAME_PATTERN.test(options.name)) {
    throw invalidTrigger(builder, options.name, `name must match ${TRIGGER_NAME_PATTERN}`);
  }
  if (typeof options.dispatch !== "function") {
    throw invalidTrigger(builder, options.name, "dispatch must be a function");
  }
}
