/**
 * One run of a claimed saga, as its `ctx` calls share it: the journal, the
 * compensations registered so far, the signals taken, and the ways a call
 * commits, lets the saga go (leaving `run` pending), or stops it.
 *
 * @module
 */
import type { NetScriptError } from "@netscript/contracts/errors";
import type { Logger } from "@netscript/telemetry";
import type { SagaDefinition } from "../dsl/define_saga.ts";
import type { StepContext } from "../dsl/saga_context.ts";
import type { ClaimedSaga, SagaCommit, SagaState } from "../ports/saga_store.ts";
import type { SagasCoreErrorCode } from "../sagas_error_codes.ts";
import { decodeSagaValue } from "../ports/saga_values.ts";
import { Journal, type Position } from "./_journal.ts";
import { scopedLogger } from "./_scoped_logger.ts";
import type { ExecutionEnd, ExecutionOptions } from "./saga_execution.ts";
import { sagaError } from "./saga_errors.ts";

/** Why `run` was left pending. */
export type Halt = Exclude<ExecutionEnd, SagaState> | "waiting" | "collected";

/** A compensation registered by a finished step. */
export interface Compensation {
  /** The step's position. */
  readonly seq: number;
  /** The step's name. */
  readonly name: string;
  /** The step's `compensate`. */
  readonly fn: (result: unknown, context: StepContext) => unknown;
  /** The step's recorded result. */
  readonly result: unknown;
  /** The step's retry policy. */
  readonly policy: SagaDefinition["retry"];
  /** The step's attempt timeout, or `null`. */
  readonly timeout: number | null;
}

/** A promise that never settles: what a `ctx` call returns once `run` is let go. */
export const PENDING: Promise<never> = new Promise<never>(() => {});

/** The state and the commits of one run of a claimed saga. */
export class SagaRun {
  /** The saga, its journal and its signals, as claimed. */
  readonly claimed: ClaimedSaga;
  /** What the runner gave the run. */
  readonly options: ExecutionOptions;
  /** The journal, as the replay walks it. */
  readonly journal: Journal;
  /** A logger whose lines carry the saga. */
  readonly logger: Logger;
  /** The compensations registered by finished steps, in order. */
  readonly compensations: Compensation[] = [];
  /** The signals this run took. */
  readonly taken: Set<string> = new Set<string>();
  /** Resolves when `run` is let go, with why. */
  readonly halted: Promise<Halt>;
  /** Lets `run` go. */
  halt!: (halt: Halt) => void;
  /** `true` while replaying only to register compensations. */
  collecting: boolean;
  /** `true` while a `ctx` call runs. */
  busy = false;
  /** What stops the saga without compensating, once found. */
  fatal: NetScriptError | null = null;
  /** A store failure that stopped the run. */
  storeFailure: { readonly error: unknown } | null = null;

  /**
   * Starts the run of a claimed saga.
   *
   * @param claimed The saga, its journal and its signals.
   * @param options What the runner gives it.
   */
  constructor(claimed: ClaimedSaga, options: ExecutionOptions) {
    this.claimed = claimed;
    this.options = options;
    this.journal = new Journal(claimed.entries);
    this.logger = scopedLogger(options.logger, {
      saga: claimed.saga.name,
      sagaId: claimed.saga.id,
    });
    this.collecting = claimed.saga.state === "compensating";
    this.halted = new Promise<Halt>((resolve) => (this.halt = resolve));
    if (claimed.saga.cancelRequested) this.cancel();
  }

  /** Runs one `ctx` call, refusing a second one while it runs. */
  async call<T>(body: () => Promise<T>): Promise<T> {
    this.checkSequential();
    this.busy = true;
    try {
      return await body();
    } finally {
      this.busy = false;
    }
  }

  /** Refuses a `ctx` call while another runs: it would have no fixed place in the journal. */
  checkSequential(): void {
    if (this.fatal !== null) throw this.fatal;
    if (!this.busy) return;
    this.fatal = sagaError(
      "SAGAS_NONDETERMINISTIC",
      `Saga "${this.claimed.saga.name}" called ctx while another ctx call was running (at position ${this.journal.cursor}); await each ctx call before the next, and never call ctx inside a step`,
      { seq: this.journal.cursor },
    );
    throw this.fatal;
  }

  /** Takes the next position in the journal; a divergence from it becomes fatal. */
  next(kind: Parameters<Journal["next"]>[0], name: string): Position {
    try {
      return this.journal.next(kind, name);
    } catch (error) {
      this.fatal = error as NetScriptError;
      throw error;
    }
  }

  /** Stops a new call when the saga is cancelled (it throws) or being let go (it never settles). */
  async checkGoing(): Promise<void> {
    if (this.options.release.aborted) await this.letGoFromRun();
    if (this.options.cancel.signal.aborted) throw this.cancelledError();
  }

  /** Writes recorded values before work that may use them runs. */
  async flush(): Promise<void> {
    if (this.journal.hasPending) await this.commit({});
  }

  /** A commit from inside `run`: a lost lease or a store failure leaves `run` pending. */
  async commit(commit: SagaCommit): Promise<void> {
    let held: boolean;
    try {
      held = await this.write(commit);
    } catch (error) {
      return this.storeFailed(error);
    }
    if (!held) {
      this.halt("lost");
      return PENDING;
    }
  }

  /** Commits a wait and leaves `run` pending. */
  async suspend(commit: SagaCommit, halt: Halt): Promise<never> {
    await this.commit(commit);
    this.logger.debug("saga let go", { until: commit.progress?.release?.runAt ?? null, halt });
    this.halt(halt);
    return PENDING;
  }

  /** Ends the replay that only registers compensations: `run` is left pending. */
  stopCollecting(): Promise<never> {
    this.halt("collected");
    return PENDING;
  }

  /** Stops the run on a store failure, which the runner reports; `run` is left pending. */
  storeFailed(error: unknown): Promise<never> {
    this.storeFailure = { error };
    this.halt("lost");
    return PENDING;
  }

  /** Gives the saga back from inside `run` (the runner stops); `run` is left pending. */
  async letGoFromRun(): Promise<never> {
    await this.commit({ progress: { release: { runAt: this.options.now() } } });
    this.halt("released");
    return PENDING;
  }

  /** Gives the saga back, runnable at once (the runner stops). */
  async letGo(): Promise<ExecutionEnd> {
    return await this.finish(
      { progress: { release: { runAt: this.options.now() } } },
      "released",
    );
  }

  /** Writes, with the recorded values first; `false` when the lease is gone. */
  async write(commit: SagaCommit): Promise<boolean> {
    const outcome = await this.options.store.commit(this.claimed.saga.id, this.options.owner, {
      ...commit,
      entries: this.journal.takePending(commit.entries ?? []),
    });
    if (outcome.cancelRequested) this.cancel();
    return outcome.held;
  }

  /** A last write of the run; `lost` when the lease is gone. */
  async finish(commit: SagaCommit, end: ExecutionEnd): Promise<ExecutionEnd> {
    return (await this.write(commit)) ? end : "lost";
  }

  /** Aborts `ctx.signal` (once) with `SAGAS_CANCELLED`. */
  cancel(): void {
    if (!this.options.cancel.signal.aborted) this.options.cancel.abort(this.cancelledError());
  }

  /** The `SAGAS_CANCELLED` error of this saga. */
  cancelledError(): NetScriptError<SagasCoreErrorCode> {
    const { saga } = this.claimed;
    return sagaError(
      "SAGAS_CANCELLED",
      `Saga "${saga.id}" was cancelled; it compensates what finished`,
      { id: saga.id },
    );
  }

  /** A value of `ctx.now()`, `ctx.uuid()` or `ctx.random()`: the recorded one on a replay, else a new one recorded with the next write. */
  value(name: "now" | "uuid" | "random", make: () => string | number): string | number {
    this.checkSequential();
    const { seq, entry } = this.next("value", name);
    if (entry?.state === "completed") return decodeSagaValue(entry.result) as string | number;
    const value = make();
    if (!this.collecting) {
      this.journal.defer({
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
}
