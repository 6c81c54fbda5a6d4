/**
 * Runs one claimed saga: replays `run` against its journal, does the
 * next piece of new work, and records it. Each step costs one commit: its
 * outcome is written with the next write the saga makes, which comes
 * before the next step (or job, or child saga) starts, or is the wait or
 * the end of the saga; so the last step and the saga's completion share
 * one commit. A crash before that write runs the step again, as a crash
 * during the step would. A sleep, a signal wait or a
 * retry's back-off commits the wait and lets the saga go: `run` is left
 * pending and dropped, and a later claim replays it from the start. After
 * a failed step or a cancel the compensations registered by finished
 * steps run, last first, each recorded.
 *
 * @module
 */
import type { NetScriptError } from "@netscript/contracts/errors";
import { formatIssues } from "@netscript/contracts/errors";
import type { JobClient } from "@netscript/plugin-workers-core";
import type { Logger } from "@netscript/telemetry";
import type { z } from "zod";
import type { SagaDefinition } from "../dsl/define_saga.ts";
import type { SagaContext, WaitForSignalOptions } from "../dsl/saga_context.ts";
import type { SagaCatalog } from "../dsl/saga_list.ts";
import type { ClaimedSaga, SagaState, SagaStore } from "../ports/saga_store.ts";
import { decodeSagaValue, encodeSagaValue } from "../ports/saga_values.ts";
import type { SagasCoreErrorCode } from "../sagas_error_codes.ts";
import { compensate, startCompensating } from "./_compensation_phase.ts";
import { SagaRun } from "./_saga_run.ts";
import { runEnqueue, runStartSaga } from "./_start_calls.ts";
import { runStep } from "./_step_call.ts";
import { runSleep, runWaitForSignal } from "./_wait_calls.ts";
import { sagaError } from "./saga_errors.ts";

/**
 * Starts workers jobs: a job client (`JobClient.enqueue`), which is called
 * with the job's definition, its input and a once-key.
 */
export type JobStarter = Pick<JobClient, "enqueue">;

/** What an execution needs from its runner. */
export interface ExecutionOptions {
  /** The store. */
  readonly store: SagaStore;
  /** The runner's lease owner id. */
  readonly owner: string;
  /** The workspace's sagas. */
  readonly catalog: SagaCatalog;
  /** Where `ctx.enqueue` starts jobs. */
  readonly jobs: JobStarter | undefined;
  /** The runner's logger. */
  readonly logger: Logger;
  /** Aborted when the runner stops or loses the lease: the saga is let go. */
  readonly release: AbortSignal;
  /** The runner aborts it when it sees a cancel of the saga. */
  readonly cancel: AbortController;
  /** The clock. */
  readonly now: () => Date;
}

/**
 * How an execution ended: in a finished state; `waiting` (asleep or
 * waiting for a signal); `retrying` (a step or compensation waits for its
 * next attempt); `released` (the runner stopped and gave it back);
 * `lost` (another runner holds it now; nothing more was written).
 */
export type ExecutionEnd =
  | Exclude<SagaState, "running" | "compensating">
  | "retrying"
  | "released"
  | "lost";

/**
 * Runs a claimed saga until it finishes or waits, and records what it did.
 *
 * @param claimed The saga, its journal and its signals, as claimed.
 * @param options The store, the runner's identity and signals, the sagas.
 * @returns How it ended.
 * @throws What the store throws (`STORE_UNAVAILABLE`…); the lease then runs out and another claim resumes it.
 */
export function executeSaga(
  claimed: ClaimedSaga,
  options: ExecutionOptions,
): Promise<ExecutionEnd> {
  return new SagaExecution(claimed, options).run();
}

class SagaExecution {
  readonly #run: SagaRun;

  constructor(claimed: ClaimedSaga, options: ExecutionOptions) {
    this.#run = new SagaRun(claimed, options);
  }

  async run(): Promise<ExecutionEnd> {
    const { saga } = this.#run.claimed;
    const definition = this.#run.options.catalog.at(saga.name, saga.version);
    if (definition === undefined) return await this.#fail(this.#versionMissing());
    const parsed = definition.input.safeParse(decodeSagaValue(saga.input));
    if (!parsed.success) {
      const issues = formatIssues(parsed.error.issues, { root: "(input)" });
      return await this.#fail(sagaError(
        "SAGAS_INVALID_INPUT",
        `The stored input of saga "${saga.id}" does not match the schema of "${saga.name}" version ${saga.version}: ${
          issues.map((issue) => `${issue.path} ${issue.message}`).join("; ")
        }`,
        { saga: saga.name, id: saga.id, issues },
      ));
    }
    const ran = (async () => await definition.run(parsed.data, this.#context(definition)))().then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    const first = await Promise.race([ran, this.#run.halted]);
    if (this.#run.storeFailure !== null) throw this.#run.storeFailure.error;
    if (typeof first === "string" && first !== "collected") return first;
    if (this.#run.fatal === null && typeof first !== "string" && this.#run.journal.replaying) {
      this.#run.fatal = this.#endedEarly();
    }
    if (this.#run.fatal !== null) return await this.#fail(this.#run.fatal);
    if (!this.#run.collecting && typeof first !== "string") {
      if (first.ok) {
        const output = this.#encodeOutput(first.value);
        if (output === null || typeof output === "string") {
          return await this.#run.finish({ progress: { state: "completed", output } }, "completed");
        }
        return await startCompensating(this.#run, output.error);
      }
      return await startCompensating(this.#run, first.error);
    }
    return await compensate(this.#run);
  }

  #context(definition: SagaDefinition): SagaContext {
    const run = this.#run;
    const { saga } = run.claimed;
    return {
      id: saga.id,
      name: saga.name,
      version: saga.version,
      signal: this.#run.options.cancel.signal,
      logger: this.#run.logger,
      step: (name, fn, options) => run.call(() => runStep(run, definition, name, fn, options)),
      sleep: (name, ms) => run.call(() => runSleep(run, name, ms)),
      waitForSignal: <TSchema extends z.ZodType>(
        name: string,
        options?: WaitForSignalOptions<TSchema>,
      ) => run.call(() => runWaitForSignal(run, name, options)),
      enqueue: (job, input) => run.call(() => runEnqueue(run, job, input)),
      startSaga: (child, input) => run.call(() => runStartSaga(run, child, input)),
      now: () =>
        new Date(
          run.value("now", () => run.options.now().toISOString()) as string,
        ),
      uuid: () => run.value("uuid", () => crypto.randomUUID()) as string,
      random: () => run.value("random", () => Math.random()) as number,
    };
  }
  async #fail(error: NetScriptError): Promise<ExecutionEnd> {
    this.#run.logger.error("saga failed", { code: error.code, error: error.message });
    return await this.#run.finish(
      { progress: { state: "failed", error: error.message } },
      "failed",
    );
  }
  #encodeOutput(value: unknown): string | null | { readonly error: unknown } {
    try {
      return encodeSagaValue(value, `the output of saga "${this.#run.claimed.saga.name}"`);
    } catch (error) {
      return { error };
    }
  }
  #versionMissing(): NetScriptError<SagasCoreErrorCode> {
    const { saga } = this.#run.claimed;
    const latest = this.#run.options.catalog.latest(saga.name);
    return latest === undefined
      ? sagaError(
        "SAGAS_UNKNOWN_SAGA",
        `Saga "${saga.id}" is of "${saga.name}", which no definition has; add it under sagas/ and retry the saga`,
        { saga: saga.name, id: saga.id },
      )
      : sagaError(
        "SAGAS_VERSION_MISSING",
        `Saga "${saga.id}" started on version ${saga.version} of "${saga.name}", which the workspace no longer has (it has version ${latest.version}); keep that version's definition until its sagas finish, then retry the saga`,
        { saga: saga.name, id: saga.id, version: saga.version, latest: latest.version },
      );
  }
  #endedEarly(): NetScriptError<SagasCoreErrorCode> {
    return sagaError(
      "SAGAS_NONDETERMINISTIC",
      `The saga's code diverged from its journal: run ended at position ${this.#run.journal.cursor}, but the journal records calls up to position ${this.#run.journal.lastRecorded}; restore the code the saga started with, or give changed code a new version, then retry the saga`,
      { seq: this.#run.journal.cursor, recorded: this.#run.journal.lastRecorded },
    );
  }
}
