/**
 * `ctx.step`: a step run once and recorded, its failed attempts retried
 * with the saga leaving memory between them, and its compensation kept
 * for later.
 *
 * @module
 */
import { retryDelay } from "@netscript/plugin-workers-core";
import { resolveRetryPolicy, retryProblems, type SagaDefinition } from "../dsl/define_saga.ts";
import type { StepContext, StepOptions } from "../dsl/saga_context.ts";
import { decodeSagaValue, encodeSagaValue } from "../ports/saga_values.ts";
import { runAttempt } from "./_attempt.ts";
import type { Compensation, SagaRun } from "./_saga_run.ts";
import { scopedLogger } from "./_scoped_logger.ts";
import { messageOf, recordedFailure, sagaError } from "./saga_errors.ts";

/**
 * Runs `ctx.step(name, fn, options)` at the run's next position.
 *
 * @param run The saga's run.
 * @param definition The saga's definition (its default retry policy).
 * @param name The step's name.
 * @param fn The step's work.
 * @param options Its compensation, retry policy and timeout.
 * @returns The step's result, as JSON gives it back.
 */
export async function runStep<T>(
  run: SagaRun,
  definition: SagaDefinition,
  name: string,
  fn: (context: StepContext) => T | Promise<T>,
  options: StepOptions<Awaited<T>> | undefined,
): Promise<Awaited<T>> {
  const policy = stepPolicy(definition, name, options);
  const { seq, entry } = run.next("step", name);
  const timeout = options?.timeout ?? null;
  if (entry?.state === "completed") {
    const value = decodeSagaValue(entry.result) as Awaited<T>;
    registerCompensation(run, seq, name, value, options, policy);
    return value;
  }
  if (entry?.state === "failed") {
    throw recordedFailure(
      "SAGAS_STEP_FAILED",
      name,
      stepFailedMessage(name, entry.attempts, entry.error ?? ""),
    );
  }
  if (run.collecting) return run.stopCollecting();
  await run.checkGoing();
  const now = run.options.now();
  if (entry?.state === "retrying" && entry.wakeAt !== null && entry.wakeAt > now) {
    return await run.suspend({ progress: { release: { runAt: entry.wakeAt } } }, "retrying");
  }
  const attempt = (entry?.attempts ?? 0) + 1;
  await run.flush();
  const logger = scopedLogger(run.logger, { step: name, attempt });
  const outcome = await runAttempt(fn, {
    name,
    key: `${run.claimed.saga.id}:${seq}`,
    span: "saga.step",
    attempt,
    timeout,
    signals: [run.options.cancel.signal, run.options.release],
    logger,
  });
  const base = { seq, kind: "step", name, attempts: attempt, compensates: null } as const;
  let failure: unknown = outcome.ok ? undefined : outcome.error;
  let final = false;
  if (outcome.ok) {
    try {
      const result = encodeSagaValue(outcome.value, `the result of step "${name}"`);
      run.journal.defer({ ...base, state: "completed", result, error: null, wakeAt: null });
      const value = decodeSagaValue(result) as Awaited<T>;
      registerCompensation(run, seq, name, value, options, policy);
      return value;
    } catch (error) {
      failure = error;
      final = true;
    }
  }
  if (run.options.release.aborted) return await run.letGoFromRun();
  const message = messageOf(failure);
  if (!final && !run.options.cancel.signal.aborted && attempt < policy.attempts) {
    const wakeAt = new Date(run.options.now().getTime() + retryDelay(policy, attempt));
    logger.warn("saga step attempt failed; retrying", { error: message, retryAt: wakeAt });
    return await run.suspend({
      entries: [{ ...base, state: "retrying", result: null, error: message, wakeAt }],
      progress: { release: { runAt: wakeAt } },
    }, "retrying");
  }
  await run.commit({
    entries: [{ ...base, state: "failed", result: null, error: message, wakeAt: null }],
  });
  logger.warn("saga step failed", { error: message });
  if (run.options.cancel.signal.aborted) throw run.cancelledError();
  throw sagaError(
    "SAGAS_STEP_FAILED",
    stepFailedMessage(name, attempt, message),
    { name, attempts: attempt },
    failure,
  );
}

/** A step's retry policy (the saga's, with the step's fields over it), its options checked. */
export function stepPolicy(
  definition: SagaDefinition,
  name: string,
  options: StepOptions<never> | undefined,
): SagaDefinition["retry"] {
  const policy = options?.retry === undefined ? definition.retry : resolveRetryPolicy(
    { ...definition.retry, ...options.retry },
    definition.retry,
  );
  const problems = [
    ...(options?.retry === undefined ? [] : retryProblems("retry", policy)),
    ...(options?.timeout === undefined ||
        (Number.isInteger(options.timeout) && options.timeout > 0)
      ? []
      : [`timeout must be a positive integer (got ${JSON.stringify(options.timeout)})`]),
  ];
  if (problems.length > 0) {
    throw new RangeError(`Invalid options of step "${name}": ${problems.join("; ")}`);
  }
  return policy;
}

/** Keeps a finished step's compensation, to run if the saga compensates. */
export function registerCompensation(
  run: SagaRun,
  seq: number,
  name: string,
  result: unknown,
  options: StepOptions<never> | undefined,
  policy: SagaDefinition["retry"],
): void {
  const compensate = options?.compensate;
  if (compensate === undefined) return;
  run.compensations.push({
    seq,
    name,
    fn: compensate as Compensation["fn"],
    result,
    policy,
    timeout: options?.timeout ?? null,
  });
}

/**
 * The message of a step's final failure, the same on the first run and on
 * replays.
 *
 * @param name The step.
 * @param attempts Attempts made.
 * @param message The last attempt's error.
 * @returns The message.
 */
function stepFailedMessage(name: string, attempts: number, message: string): string {
  return `Step "${name}" failed after ${attempts} attempt(s): ${message}`;
}
