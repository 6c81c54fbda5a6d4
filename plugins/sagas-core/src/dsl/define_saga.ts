/**
 * {@linkcode defineSaga}: a durable workflow in a workspace's `sagas/`.
 *
 * @module
 */
import { NetScriptError } from "@netscript/contracts/errors";
import {
  MAX_ATTEMPTS,
  type ResolvedRetryPolicy,
  type RetryPolicy,
} from "@netscript/plugin-workers-core";
import type { z } from "zod";
import type { SagasCoreErrorCode } from "../sagas_error_codes.ts";
import type { SagaContext } from "./saga_context.ts";

/** What a saga's name must match: lower-case letters, digits, `.`, `_`, `:`, `-`; at most 128 characters. */
export const SAGA_NAME_PATTERN: RegExp = /^[a-z0-9][a-z0-9._:-]{0,127}$/;

/** The highest version a saga may have. */
export const MAX_SAGA_VERSION = 1_000_000;

/**
 * Options of {@linkcode defineSaga}.
 *
 * @template TInput The input schema.
 * @template TOutput What `run` returns.
 * @template TName The saga's name, kept as a literal type.
 */
export interface SagaOptions<TInput extends z.ZodType, TOutput, TName extends string> {
  /** The saga's name, unique in the workspace (per version), e.g. `place-order`. */
  readonly name: TName;
  /** The input schema; a start's input is validated against it. */
  readonly input: TInput;
  /**
   * The version of this code. A saga runs to its end on the version it
   * started with: keep the old definition (same name, old version) beside
   * a new one until its sagas finish. @default {1}
   */
  readonly version?: number | undefined;
  /** How a failed step or compensation is retried unless the step says otherwise. @default {{ attempts: 3 }} */
  readonly retry?: RetryPolicy | undefined;
  /**
   * The workflow. Do everything that touches the world inside
   * `ctx.step(…)`; code between calls runs again on every replay, so it
   * must make the same calls in the same order.
   */
  readonly run: (input: z.output<TInput>, ctx: SagaContext) => TOutput | Promise<TOutput>;
}

/**
 * A validated saga definition, as `defineSaga` returns it.
 *
 * @template TInput The input schema.
 * @template TOutput What `run` returns.
 * @template TName The saga's name.
 */
export interface SagaDefinition<
  TInput extends z.ZodType = z.ZodType,
  TOutput = unknown,
  TName extends string = string,
> {
  /** Always `saga`: every file under `sagas/` default-exports one. */
  readonly kind: "saga";
  /** The saga's name. */
  readonly name: TName;
  /** Its version. */
  readonly version: number;
  /** The input schema. */
  readonly input: TInput;
  /** The default retry policy of its steps and compensations, defaults filled in. */
  readonly retry: ResolvedRetryPolicy;
  /** The workflow. */
  readonly run: (input: z.output<TInput>, ctx: SagaContext) => TOutput | Promise<TOutput>;
}

/**
 * Defines a saga: a workflow whose steps run once each, whose sleeps and
 * signal waits survive restarts, and whose finished steps are compensated,
 * last first, when a later step fails or the saga is cancelled. Put one
 * `export default defineSaga(…)` in each file under the workspace's `sagas/`.
 *
 * @param options The saga.
 * @returns The validated, frozen definition.
 * @throws {NetScriptError} `SAGAS_INVALID_DEFINITION`, naming every invalid option.
 *
 * @example
 * ```ts
 * import { defineSaga } from "@netscript/plugin-sagas-core";
 * import { z } from "zod";
 *
 * export default defineSaga({
 *   name: "place-order",
 *   input: z.object({ orderId: z.string(), amount: z.number().positive() }),
 *   async run({ orderId, amount }, ctx) {
 *     const payment = await ctx.step("charge", () => ({ paymentId: `pay-${orderId}`, amount }), {
 *       compensate: (charged) => console.log("refunding", charged.paymentId),
 *     });
 *     await ctx.waitForSignal("shipped", { timeout: 86_400_000 });
 *     return { paymentId: payment.paymentId };
 *   },
 * });
 * ```
 */
export function defineSaga<TInput extends z.ZodType, TOutput, const TName extends string>(
  options: SagaOptions<TInput, TOutput, TName>,
): SagaDefinition<TInput, TOutput, TName> {
  const version = options.version ?? 1;
  const retry = resolveRetryPolicy(options.retry, { attempts: 3, delay: 1_000 });
  const problems = [
    ...(SAGA_NAME_PATTERN.test(String(options.name))
      ? []
      : [`name ${JSON.stringify(options.name)} must match ${SAGA_NAME_PATTERN}`]),
    ...(typeof options.input?.safeParse === "function" ? [] : ["input must be a zod schema"]),
    ...(typeof options.run === "function" ? [] : ["run must be a function"]),
    ..._integer("version", version, 1, MAX_SAGA_VERSION),
    ...retryProblems("retry", retry),
  ];
  if (problems.length > 0) {
    throw new NetScriptError<SagasCoreErrorCode>(
      "SAGAS_INVALID_DEFINITION",
      `Invalid saga ${JSON.stringify(options.name)}: ${problems.join("; ")}`,
      { details: { saga: String(options.name), problems } },
    );
  }
  return Object.freeze({
    kind: "saga",
    name: options.name,
    version,
    input: options.input,
    retry: Object.freeze(retry),
    run: options.run,
  });
}

/**
 * Tells whether a value is a saga definition from {@linkcode defineSaga},
 * e.g. the default export of a file under `sagas/`.
 *
 * @param value Anything.
 * @returns `true` for a saga definition.
 */
export function isSagaDefinition(value: unknown): value is SagaDefinition {
  return typeof value === "object" && value !== null &&
    (value as { kind?: unknown }).kind === "saga" &&
    typeof (value as { run?: unknown }).run === "function";
}

/**
 * A retry policy with its defaults filled in.
 *
 * @param policy The policy given, if any.
 * @param defaults What a field left out takes (the attempts and first delay).
 * @returns The resolved policy.
 */
export function resolveRetryPolicy(
  policy: RetryPolicy | undefined,
  defaults: Pick<ResolvedRetryPolicy, "attempts" | "delay">,
): ResolvedRetryPolicy {
  return {
    attempts: policy?.attempts ?? defaults.attempts,
    backoff: policy?.backoff ?? "exponential",
    delay: policy?.delay ?? defaults.delay,
    maxDelay: policy?.maxDelay ?? 3_600_000,
  };
}

/**
 * What is wrong with a resolved retry policy, one line per problem.
 *
 * @param field The option's name, for the messages.
 * @param retry The policy.
 * @returns The problems; empty when it is valid.
 */
export function retryProblems(field: string, retry: ResolvedRetryPolicy): string[] {
  return [
    ..._integer(`${field}.attempts`, retry.attempts, 1, MAX_ATTEMPTS),
    ...(["exponential", "fixed"].includes(retry.backoff)
      ? []
      : [`${field}.backoff must be "exponential" or "fixed"`]),
    ..._integer(`${field}.delay`, retry.delay, 0),
    ..._integer(`${field}.maxDelay`, retry.maxDelay, 0),
  ];
}

function _integer(
  field: string,
  value: number,
  min: number,
  max: number = Number.MAX_SAFE_INTEGER,
): string[] {
  if (Number.isInteger(value) && value >= min && value <= max) return [];
  const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`;
  return [`${field} must be an integer ${range} (got ${JSON.stringify(value)})`];
}
