/**
 * `ctx.enqueue` and `ctx.startSaga`: a workers job or a child saga
 * started exactly once, by a key made of the saga's id and the call's
 * position, however often the saga replays.
 *
 * @module
 */
import type { JobDefinition } from "@netscript/plugin-workers-core";
import type { StartableSaga, Started } from "../dsl/saga_context.ts";
import { decodeSagaValue } from "../ports/saga_values.ts";
import { childSagaId, jobOnceKey } from "./_derived_ids.ts";
import type { SagaRun } from "./_saga_run.ts";
import { newSagaFor } from "./_start_saga.ts";
import { sagaError } from "./saga_errors.ts";

/**
 * Runs `ctx.enqueue(job, input)` at the run's next position.
 *
 * @param run The saga's run.
 * @param job The job's definition.
 * @param input Its input.
 * @returns The job's id.
 */
export async function runEnqueue(
  run: SagaRun,
  job: JobDefinition,
  input: unknown,
): Promise<Started> {
  const { seq, entry } = run.next("job", job.name);
  if (entry?.state === "completed") return decodeSagaValue(entry.result) as Started;
  if (run.collecting) return run.stopCollecting();
  await run.checkGoing();
  const jobs = run.options.jobs;
  if (jobs === undefined) {
    throw sagaError(
      "SAGAS_JOBS_MISSING",
      `Saga "${run.claimed.saga.name}" called ctx.enqueue("${job.name}") in a runner with no job client; install the workers plugin, or give createSagaRunner a jobs client`,
      { job: job.name },
    );
  }
  await run.flush();
  const onceKey = await jobOnceKey(run.claimed.saga.id, seq);
  const { id } = await jobs.enqueue(job, input, { onceKey });
  const started: Started = { id };
  await run.commit({
    entries: [{
      seq,
      kind: "job",
      name: job.name,
      state: "completed",
      result: JSON.stringify(started),
      error: null,
      attempts: 1,
      compensates: null,
      wakeAt: null,
    }],
  });
  return started;
}

/**
 * Runs `ctx.startSaga(child, input)` at the run's next position.
 *
 * @param run The saga's run.
 * @param child The child's definition.
 * @param input Its input.
 * @returns The child's id.
 */
export async function runStartSaga(
  run: SagaRun,
  child: StartableSaga,
  input: unknown,
): Promise<Started> {
  const { seq, entry } = run.next("child", child.name);
  if (entry?.state === "completed") return decodeSagaValue(entry.result) as Started;
  if (run.collecting) return run.stopCollecting();
  await run.checkGoing();
  const { saga } = run.claimed;
  const id = await childSagaId(saga.id, seq);
  const newChild = { ...newSagaFor(child, input, id), parentId: saga.id };
  await run.flush();
  try {
    await run.options.store.start(newChild);
  } catch (error) {
    return run.storeFailed(error);
  }
  const started: Started = { id };
  await run.commit({
    entries: [{
      seq,
      kind: "child",
      name: child.name,
      state: "completed",
      result: JSON.stringify(started),
      error: null,
      attempts: 1,
      compensates: null,
      wakeAt: null,
    }],
  });
  return started;
}
