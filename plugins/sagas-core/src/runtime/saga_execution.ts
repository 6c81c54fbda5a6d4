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
import { type JobClient, type JobDefinition, retryDelay } from "@netscript/plugin-workers-core";
import type { Logger } from "@netscript/telemetry";
import type { z } from "zod";
import { resolveRetryPolicy, retryProblems, type SagaDefinition } from "../dsl/define_saga.ts";
import type {
  SagaContext,
  StartableSaga,
  Started,
  StepContext,
  StepOptions,
  WaitForSignalOptions,
} from "../dsl/saga_context.ts";
import type { SagaCatalog } from "../dsl/saga_list.ts";
import type {
  ClaimedSaga,
  SagaCommit,
  SagaEntryWrite,
  SagaState,
  SagaStore,
} from "../ports/saga_store.ts";
import { decodeSagaValue, encodeSagaValue } from "../ports/saga_values.ts";
import type { SagasCoreErrorCode } from "../sagas_error_codes.ts";
import { runAttempt } from "./_attempt.ts";
import { childSagaId, jobOnceKey } from "./_derived_ids.ts";
import { newSagaFor } from "./_start_saga.ts";
import { Journal } from "./_journal.ts";
import { scopedLogger } from "./_scoped_logger.ts";
import { messageOf, recordedFailure, type RecordedFailureCode, sagaError } from "./saga_errors.ts";

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

/** Why `run` was left pending. */
type Halt = Exclude<ExecutionEnd, SagaState> | "waiting" | "collected";

/** A compensation registered by a finished step. */
interface Compensation {
  readonly seq: number;
  readonly name: string;
  readonly fn: (result: unknown, context: StepContext) => unknown;
  readonly result: unknown;
  readonly policy: SagaDefinition["retry"];
  readonly timeout: number | null;
}

/** A promise that never settles: what a `ctx` call returns once `run` is let go. */
const PENDING: Promise<never> = new Promise<never>(() => {});

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
  readonly #claimed: ClaimedSaga;
  readonly #options: ExecutionOptions;
  readonly #journal: Journal;
  readonly #logger: Logger;
  readonly #compensations: Compensation[] = [];
  readonly #taken = new Set<string>();
  readonly #halted: Promise<Halt>;
  #halt!: (halt: Halt) => void;
  #collecting: boolean;
  #busy = false;
  #fatal: NetScriptError | null = null;
  #storeFailure: { readonly error: unknown } | null = null;

  constructor(claimed: ClaimedSaga, options: ExecutionOptions) {
    this.#claimed = claimed;
    this.#options = options;
    this.#journal = new Journal(claimed.entries);
    this.#logger = scopedLogger(options.logger, {
      saga: claimed.saga.name,
      sagaId: claimed.saga.id,
    });
    this.#collecting = claimed.saga.state === "compensating";
    this.#halted = new Promise<Halt>((resolve) => (this.#halt = resolve));
    if (claimed.saga.cancelRequested) this.#cancel();
  }

  async run(): Promise<ExecutionEnd> {
    const { saga } = this.#claimed;
    const definition = this.#options.catalog.at(saga.name, saga.version);
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
    const first = await Promise.race([ran, this.#halted]);
    if (this.#storeFailure !== null) throw this.#storeFailure.error;
    if (typeof first === "string" && first !== "collected") return first;
    if (this.#fatal === null && typeof first !== "string" && this.#journal.replaying) {
      this.#fatal = this.#endedEarly();
    }
    if (this.#fatal !== null) return await this.#fail(this.#fatal);
    if (!this.#collecting && typeof first !== "string") {
      if (first.ok) {
        const output = this.#encodeOutput(first.value);
        if (output === null || typeof output === "string") {
          return await this.#finish({ progress: { state: "completed", output } }, "completed");
        }
        return await this.#startCompensating(output.error);
      }
      return await this.#startCompensating(first.error);
    }
    return await this.#compensate();
  }

  #context(definition: SagaDefinition): SagaContext {
    const { saga } = this.#claimed;
    return {
      id: saga.id,
      name: saga.name,
      version: saga.version,
      signal: this.#options.cancel.signal,
      logger: this.#logger,
      step: (name, fn, options) => this.#call(() => this.#step(definition, name, fn, options)),
      sleep: (name, ms) => this.#call(() => this.#sleep(name, ms)),
      waitForSignal: <TSchema extends z.ZodType>(
        name: string,
        options?: WaitForSignalOptions<TSchema>,
      ) => this.#call(() => this.#waitForSignal(name, options)),
      enqueue: (job, input) => this.#call(() => this.#enqueue(job, input)),
      startSaga: (child, input) => this.#call(() => this.#startSaga(child, input)),
      now: () =>
        new Date(
          this.#value("now", () => new Date(this.#options.now()).toISOString()) as string,
        ),
      uuid: () => this.#value("uuid", () => crypto.randomUUID()) as string,
      random: () => this.#value("random", () => Math.random()) as number,
    };
  }

  /** Runs one `ctx` call, refusing a second one while it runs. */
  async #call<T>(body: () => Promise<T>): Promise<T> {
    this.#checkSequential();
    this.#busy = true;
    try {
      return await body();
    } finally {
      this.#busy = false;
    }
  }

  #checkSequential(): void {
    if (this.#fatal !== null) throw this.#fatal;
    if (!this.#busy) return;
    this.#fatal = sagaError(
      "SAGAS_NONDETERMINISTIC",
      `Saga "${this.#claimed.saga.name}" called ctx while another ctx call was running (at position ${this.#journal.cursor}); await each ctx call before the next, and never call ctx inside a step`,
      { seq: this.#journal.cursor },
    );
    throw this.#fatal;
  }

  #next(kind: Parameters<Journal["next"]>[0], name: string) {
    try {
      return this.#journal.next(kind, name);
    } catch (error) {
      this.#fatal = error as NetScriptError;
      throw error;
    }
  }

  async #step<T>(
    definition: SagaDefinition,
    name: string,
    fn: (context: StepContext) => T | Promise<T>,
    options: StepOptions<Awaited<T>> | undefined,
  ): Promise<Awaited<T>> {
    const policy = this.#policy(definition, name, options);
    const { seq, entry } = this.#next("step", name);
    const timeout = options?.timeout ?? null;
    if (entry?.state === "completed") {
      const value = decodeSagaValue(entry.result) as Awaited<T>;
      this.#register(seq, name, value, options, policy);
      return value;
    }
    if (entry?.state === "failed") {
      throw recordedFailure(
        "SAGAS_STEP_FAILED",
        name,
        stepFailedMessage(name, entry.attempts, entry.error ?? ""),
      );
    }
    if (this.#collecting) return this.#stopCollecting();
    await this.#checkGoing();
    const now = this.#options.now();
    if (entry?.state === "retrying" && entry.wakeAt !== null && entry.wakeAt > now) {
      return await this.#suspend({ progress: { release: { runAt: entry.wakeAt } } }, "retrying");
    }
    const attempt = (entry?.attempts ?? 0) + 1;
    await this.#flush();
    const logger = scopedLogger(this.#logger, { step: name, attempt });
    const outcome = await runAttempt(fn, {
      name,
      key: `${this.#claimed.saga.id}:${seq}`,
      span: "saga.step",
      attempt,
      timeout,
      signals: [this.#options.cancel.signal, this.#options.release],
      logger,
    });
    const base = { seq, kind: "step", name, attempts: attempt, compensates: null } as const;
    let failure: unknown = outcome.ok ? undefined : outcome.error;
    let final = false;
    if (outcome.ok) {
      try {
        const result = encodeSagaValue(outcome.value, `the result of step "${name}"`);
        this.#journal.defer({ ...base, state: "completed", result, error: null, wakeAt: null });
        const value = decodeSagaValue(result) as Awaited<T>;
        this.#register(seq, name, value, options, policy);
        return value;
      } catch (error) {
        failure = error;
        final = true;
      }
    }
    if (this.#options.release.aborted) return await this.#letGoFromRun();
    const message = messageOf(failure);
    if (!final && !this.#options.cancel.signal.aborted && attempt < policy.attempts) {
      const wakeAt = new Date(this.#options.now().getTime() + retryDelay(policy, attempt));
      logger.warn("saga step attempt failed; retrying", { error: message, retryAt: wakeAt });
      return await this.#suspend({
        entries: [{ ...base, state: "retrying", result: null, error: message, wakeAt }],
        progress: { release: { runAt: wakeAt } },
      }, "retrying");
    }
    await this.#commit({
      entries: [{ ...base, state: "failed", result: null, error: message, wakeAt: null }],
    });
    logger.warn("saga step failed", { error: message });
    if (this.#options.cancel.signal.aborted) throw this.#cancelledError();
    throw sagaError(
      "SAGAS_STEP_FAILED",
      stepFailedMessage(name, attempt, message),
      { name, attempts: attempt },
      failure,
    );
  }

  async #sleep(name: string, ms: number): Promise<void> {
    if (!Number.isFinite(ms) || ms < 0) {
      throw new RangeError(`ctx.sleep("${name}") needs milliseconds ≥ 0, got ${ms}`);
    }
    const { seq, entry } = this.#next("sleep", name);
    if (entry?.state === "completed") return;
    const now = this.#options.now();
    if (entry !== undefined && (entry.wakeAt === null || entry.wakeAt <= now)) {
      if (!this.#collecting) this.#journal.defer({ ...entry, state: "completed" });
      return;
    }
    if (this.#collecting) return this.#stopCollecting();
    await this.#checkGoing();
    const wakeAt = entry?.wakeAt ?? new Date(now.getTime() + ms);
    await this.#suspend({
      entries: entry !== undefined ? [] : [{
        seq,
        kind: "sleep",
        name,
        state: "waiting",
        result: null,
        error: null,
        attempts: 0,
        compensates: null,
        wakeAt,
      }],
      progress: { state: "waiting", release: { runAt: wakeAt } },
    }, "waiting");
  }

  async #waitForSignal<TSchema extends z.ZodType>(
    name: string,
    options: WaitForSignalOptions<TSchema> | undefined,
  ): Promise<z.output<TSchema>> {
    const { seq, entry } = this.#next("signal", name);
    const schema = options?.schema;
    if (entry?.state === "completed") {
      return this.#signalPayload(name, schema, decodeSagaValue(entry.result));
    }
    if (entry?.state === "failed") {
      const code = decodeSagaValue(entry.result) as RecordedFailureCode;
      throw recordedFailure(code, name, entry.error ?? "");
    }
    if (this.#collecting) return this.#stopCollecting();
    await this.#checkGoing();
    const base = { seq, kind: "signal", name, attempts: 0, compensates: null } as const;
    const signal = this.#claimed.signals.find((s) => s.name === name && !this.#taken.has(s.id));
    if (signal !== undefined) {
      this.#taken.add(signal.id);
      let payload: z.output<TSchema>;
      try {
        payload = this.#signalPayload(name, schema, decodeSagaValue(signal.payload));
      } catch (error) {
        await this.#commit({
          entries: [{
            ...base,
            state: "failed",
            result: JSON.stringify("SAGAS_INVALID_SIGNAL"),
            error: messageOf(error),
            wakeAt: null,
          }],
          takeSignal: signal.id,
        });
        throw error;
      }
      await this.#commit({
        entries: [{
          ...base,
          state: "completed",
          result: signal.payload,
          error: null,
          wakeAt: null,
        }],
        takeSignal: signal.id,
      });
      return payload;
    }
    const now = this.#options.now();
    const deadline = entry !== undefined
      ? entry.wakeAt
      : options?.timeout === undefined
      ? null
      : new Date(now.getTime() + options.timeout);
    if (deadline !== null && deadline <= now) {
      const message =
        `ctx.waitForSignal("${name}") timed out: no signal "${name}" arrived by ${deadline.toISOString()}`;
      await this.#commit({
        entries: [{
          ...base,
          state: "failed",
          result: JSON.stringify("SAGAS_SIGNAL_TIMEOUT"),
          error: message,
          wakeAt: deadline,
        }],
      });
      throw sagaError("SAGAS_SIGNAL_TIMEOUT", message, { name, deadline: deadline.toISOString() });
    }
    return await this.#suspend({
      entries: entry !== undefined
        ? []
        : [{ ...base, state: "waiting", result: null, error: null, wakeAt: deadline }],
      progress: { state: "waiting", release: { runAt: deadline } },
    }, "waiting");
  }

  #signalPayload<TSchema extends z.ZodType>(
    name: string,
    schema: TSchema | undefined,
    payload: unknown,
  ): z.output<TSchema> {
    if (schema === undefined) return payload as z.output<TSchema>;
    const parsed = schema.safeParse(payload);
    if (parsed.success) return parsed.data;
    const issues = formatIssues(parsed.error.issues, { root: "(payload)" });
    throw sagaError(
      "SAGAS_INVALID_SIGNAL",
      `The payload of signal "${name}" does not match its schema: ${
        issues.map((issue) => `${issue.path} ${issue.message}`).join("; ")
      }`,
      { name, issues },
    );
  }

  async #enqueue(job: JobDefinition, input: unknown): Promise<Started> {
    const { seq, entry } = this.#next("job", job.name);
    if (entry?.state === "completed") return decodeSagaValue(entry.result) as Started;
    if (this.#collecting) return this.#stopCollecting();
    await this.#checkGoing();
    const jobs = this.#options.jobs;
    if (jobs === undefined) {
      throw sagaError(
        "SAGAS_JOBS_MISSING",
        `Saga "${this.#claimed.saga.name}" called ctx.enqueue("${job.name}") in a runner with no job client; install the workers plugin, or give createSagaRunner a jobs client`,
        { job: job.name },
      );
    }
    await this.#flush();
    const onceKey = await jobOnceKey(this.#claimed.saga.id, seq);
    const { id } = await jobs.enqueue(job, input, { onceKey });
    const started: Started = { id };
    await this.#commit({
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

  async #startSaga(child: StartableSaga, input: unknown): Promise<Started> {
    const { seq, entry } = this.#next("child", child.name);
    if (entry?.state === "completed") return decodeSagaValue(entry.result) as Started;
    if (this.#collecting) return this.#stopCollecting();
    await this.#checkGoing();
    const { saga } = this.#claimed;
    const id = await childSagaId(saga.id, seq);
    const newChild = { ...newSagaFor(child, input, id), parentId: saga.id };
    await this.#flush();
    try {
      await this.#options.store.start(newChild);
    } catch (error) {
      return this.#storeFailed(error);
    }
    const started: Started = { id };
    await this.#commit({
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

  #value(name: "now" | "uuid" | "random", make: () => string | number): string | number {
    this.#checkSequential();
    const { seq, entry } = this.#next("value", name);
    if (entry?.state === "completed") return decodeSagaValue(entry.result) as string | number;
    const value = make();
    if (!this.#collecting) {
      this.#journal.defer({
        seq,
        kind: "value",
        name,
        state: "completed",
        result: JSON.stringify(value),
        error: null,
        attempts: 0,
        compensates: null,
        wakeAt: null,
      });
    }
    return value;
  }

  #policy(
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

  #register(
    seq: number,
    name: string,
    result: unknown,
    options: StepOptions<never> | undefined,
    policy: SagaDefinition["retry"],
  ): void {
    const compensate = options?.compensate;
    if (compensate === undefined) return;
    this.#compensations.push({
      seq,
      name,
      fn: compensate as Compensation["fn"],
      result,
      policy,
      timeout: options?.timeout ?? null,
    });
  }

  /** Stops a new call when the saga is cancelled (it throws) or being let go (it never settles). */
  async #checkGoing(): Promise<void> {
    if (this.#options.release.aborted) await this.#letGoFromRun();
    if (this.#options.cancel.signal.aborted) throw this.#cancelledError();
  }

  /** Writes recorded values before work that may use them runs. */
  async #flush(): Promise<void> {
    if (this.#journal.hasPending) await this.#commit({});
  }

  /** A commit from inside `run`: a lost lease or a store failure leaves `run` pending. */
  async #commit(commit: SagaCommit): Promise<void> {
    let held: boolean;
    try {
      held = await this.#write(commit);
    } catch (error) {
      return this.#storeFailed(error);
    }
    if (!held) {
      this.#halt("lost");
      return PENDING;
    }
  }

  /** Commits a wait and leaves `run` pending. */
  async #suspend(commit: SagaCommit, halt: Halt): Promise<never> {
    await this.#commit(commit);
    this.#logger.debug("saga let go", { until: commit.progress?.release?.runAt ?? null, halt });
    this.#halt(halt);
    return PENDING;
  }

  #stopCollecting(): Promise<never> {
    this.#halt("collected");
    return PENDING;
  }

  #storeFailed(error: unknown): Promise<never> {
    this.#storeFailure = { error };
    this.#halt("lost");
    return PENDING;
  }

  async #letGoFromRun(): Promise<never> {
    await this.#commit({ progress: { release: { runAt: this.#options.now() } } });
    this.#halt("released");
    return PENDING;
  }

  async #letGo(): Promise<ExecutionEnd> {
    return await this.#finish(
      { progress: { release: { runAt: this.#options.now() } } },
      "released",
    );
  }

  /** Writes, with the recorded values first; `false` when the lease is gone. */
  async #write(commit: SagaCommit): Promise<boolean> {
    const outcome = await this.#options.store.commit(this.#claimed.saga.id, this.#options.owner, {
      ...commit,
      entries: this.#journal.takePending(commit.entries ?? []),
    });
    if (outcome.cancelRequested) this.#cancel();
    return outcome.held;
  }

  async #finish(commit: SagaCommit, end: ExecutionEnd): Promise<ExecutionEnd> {
    return (await this.#write(commit)) ? end : "lost";
  }

  async #fail(error: NetScriptError): Promise<ExecutionEnd> {
    this.#logger.error("saga failed", { code: error.code, error: error.message });
    return await this.#finish({ progress: { state: "failed", error: error.message } }, "failed");
  }

  async #startCompensating(error: unknown): Promise<ExecutionEnd> {
    const message = messageOf(error);
    this.#logger.warn("saga compensating", { error: message });
    if (!(await this.#write({ progress: { state: "compensating", error: message } }))) {
      return "lost";
    }
    this.#collecting = true;
    return await this.#compensate();
  }

  async #compensate(): Promise<ExecutionEnd> {
    for (const compensation of [...this.#compensations].reverse()) {
      const existing = this.#journal.compensationOf(compensation.seq);
      if (existing?.state === "completed") continue;
      if (this.#options.release.aborted) return await this.#letGo();
      const { policy } = compensation;
      if (existing?.state === "retrying" && existing.wakeAt !== null) {
        if (existing.wakeAt > this.#options.now()) {
          return await this.#finish(
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
        seq: existing?.seq ?? this.#journal.freeSeq(),
        kind: "compensation",
        name: compensation.name,
        attempts: attempt,
        compensates: compensation.seq,
        result: null,
      } as const;
      const logger = scopedLogger(this.#logger, { compensation: compensation.name, attempt });
      const outcome = await runAttempt(
        (context) => compensation.fn(compensation.result, context),
        {
          name: compensation.name,
          key: `${this.#claimed.saga.id}:${compensation.seq}:compensate`,
          span: "saga.compensation",
          attempt,
          timeout: compensation.timeout,
          signals: [this.#options.release],
          logger,
        },
      );
      if (outcome.ok) {
        const entry: SagaEntryWrite = { ...base, state: "completed", error: null, wakeAt: null };
        if (!(await this.#write({ entries: [entry] }))) return "lost";
        continue;
      }
      if (this.#options.release.aborted) return await this.#letGo();
      const message = messageOf(outcome.error);
      if (attempt - roundStart < policy.attempts) {
        const wakeAt = new Date(
          this.#options.now().getTime() + retryDelay(policy, attempt - roundStart),
        );
        logger.warn("saga compensation attempt failed; retrying", {
          error: message,
          retryAt: wakeAt,
        });
        return await this.#finish({
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
      return await this.#finish({
        entries: [{ ...base, state: "failed", error: message, wakeAt: null }],
        progress: { state: "failed", error: failed.message },
      }, "failed");
    }
    const state = this.#options.cancel.signal.aborted ? "cancelled" : "compensated";
    this.#logger.info(`saga ${state}`, { compensations: this.#compensations.length });
    return await this.#finish({ progress: { state } }, state);
  }

  #encodeOutput(value: unknown): string | null | { readonly error: unknown } {
    try {
      return encodeSagaValue(value, `the output of saga "${this.#claimed.saga.name}"`);
    } catch (error) {
      return { error };
    }
  }

  #cancel(): void {
    if (!this.#options.cancel.signal.aborted) this.#options.cancel.abort(this.#cancelledError());
  }

  #cancelledError(): NetScriptError<SagasCoreErrorCode> {
    const { saga } = this.#claimed;
    return sagaError(
      "SAGAS_CANCELLED",
      `Saga "${saga.id}" was cancelled; it compensates what finished`,
      { id: saga.id },
    );
  }

  #versionMissing(): NetScriptError<SagasCoreErrorCode> {
    const { saga } = this.#claimed;
    const latest = this.#options.catalog.latest(saga.name);
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
      `The saga's code diverged from its journal: run ended at position ${this.#journal.cursor}, but the journal records calls up to position ${this.#journal.lastRecorded}; restore the code the saga started with, or give changed code a new version, then retry the saga`,
      { seq: this.#journal.cursor, recorded: this.#journal.lastRecorded },
    );
  }
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
