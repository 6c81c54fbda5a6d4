/**
 * Compensation: after a failure or a cancel, the compensations of the
 * finished steps run last-first, each recorded like a step, retried with
 * its step's policy, and never run again once recorded.
 *
 * @module
 */
import { retryDelay } from "@netscript/plugin-workers-core";
import type { SagaEntryWrite } from "../ports/saga_store.ts";
import { runAttempt } from "./_attempt.ts";
import type { SagaRun } from "./_saga_run.ts";
import { scopedLogger } from "./_scoped_logger.ts";
import type { ExecutionEnd } from "./saga_execution.ts";
import { messageOf, sagaError } from "./saga_errors.ts";

/**
 * Moves the saga to `compensating` with the failure's message, then runs
 * the compensations.
 *
 * @param run The saga's run.
 * @param error Why the saga fails forward.
 * @returns How the run ended.
 */
export async function startCompensating(run: SagaRun, error: unknown): Promise<ExecutionEnd> {
  const message = messageOf(error);
  run.logger.warn("saga compensating", { error: message });
  if (!(await run.write({ progress: { state: "compensating", error: message } }))) {
    return "lost";
  }
  run.collecting = true;
  return await compensate(run);
}

/**
 * Runs the compensations not recorded yet, last first, and ends the saga
 * `compensated` (or `cancelled`), or `failed` when one keeps failing.
 *
 * @param run The saga's run.
 * @returns How the run ended.
 */
export async function compensate(run: SagaRun): Promise<ExecutionEnd> {
  for (const compensation of [...run.compensations].reverse()) {
    const existing = run.journal.compensationOf(compensation.seq);
    if (existing?.state === "completed") continue;
    if (run.options.release.aborted) return await run.letGo();
    const { policy } = compensation;
    if (existing?.state === "retrying" && existing.wakeAt !== null) {
      if (existing.wakeAt > run.options.now()) {
        return await run.finish(
          { progress: { release: { runAt: existing.wakeAt } } },
          "retrying",
        );
      }
    }
    const roundStart = existing === undefined
      ? 0
      : existing.state === "failed"
      ? existing.attempts
      : Math.floor(existing.attempts / policy.attempts) * policy.attempts;
    const attempt = (existing?.attempts ?? 0) + 1;
    const base = {
      seq: existing?.seq ?? run.journal.freeSeq(),
      kind: "compensation",
      name: compensation.name,
      attempts: attempt,
      compensates: compensation.seq,
      result: null,
    } as const;
    const logger = scopedLogger(run.logger, { compensation: compensation.name, attempt });
    const outcome = await runAttempt(
      (context) => compensation.fn(compensation.result, context),
      {
        name: compensation.name,
        key: `${run.claimed.saga.id}:${compensation.seq}:compensate`,
        span: "saga.compensation",
        attempt,
        timeout: compensation.timeout,
        signals: [run.options.release],
        logger,
      },
    );
    if (outcome.ok) {
      const entry: SagaEntryWrite = { ...base, state: "completed", error: null, wakeAt: null };
      if (!(await run.write({ entries: [entry] }))) return "lost";
      continue;
    }
    if (run.options.release.aborted) return await run.letGo();
    const message = messageOf(outcome.error);
    if (attempt - roundStart < policy.attempts) {
      const wakeAt = new Date(
        run.options.now().getTime() + retryDelay(policy, attempt - roundStart),
      );
      logger.warn("saga compensation attempt failed; retrying", {
        error: message,
        retryAt: wakeAt,
      });
      return await run.finish({
        entries: [{ ...base, state: "retrying", error: message, wakeAt }],
        progress: { release: { runAt: wakeAt } },
      }, "retrying");
    }
    const failed = sagaError(
      "SAGAS_COMPENSATION_FAILED",
      `The compensation of step "${compensation.name}" failed after ${
        attempt - roundStart
      } attempt(s): ${message}; fix what it calls, then retry the saga`,
      { name: compensation.name, attempts: attempt },
    );
    logger.error("saga compensation failed", { error: message });
    return await run.finish({
      entries: [{ ...base, state: "failed", error: message, wakeAt: null }],
      progress: { state: "failed", error: failed.message },
    }, "failed");
  }
  const state = run.options.cancel.signal.aborted ? "cancelled" : "compensated";
  run.logger.info(`saga ${state}`, { compensations: run.compensations.length });
  return await run.finish({ progress: { state } }, state);
}
