/**
 * What a saga's `run` receives besides its input: the durable operations
 * (`step`, `sleep`, `waitForSignal`, `enqueue`, `startSaga`) and the
 * recorded values (`now`, `uuid`, `random`). Every call takes the next
 * position in the saga's journal; after a restart the runner replays `run`
 * from the start and each call at a recorded position returns what was
 * recorded instead of doing the work again.
 *
 * @module
 */
import type { JobDefinition, RetryPolicy } from "@netscript/plugin-workers-core";
import type { Logger } from "@netscript/telemetry";
import type { z } from "zod";

/** What a step's function (and its compensation) receives. */
export interface StepContext {
  /** This attempt's number, from 1. */
  readonly attempt: number;
  /**
   * A key that stays the same across this step's attempts and across
   * runs after a crash: `<saga id>:<position>` for a step,
   * `<saga id>:<position>:compensate` for its compensation. A step cut
   * short by a crash runs again; pass the key to the service it calls as
   * an idempotency key (a payment's `Idempotency-Key` header) so the
   * service does the work once.
   */
  readonly key: string;
  /**
   * Aborted when the attempt times out, when the saga is cancelled, or when
   * the runner stops or loses the saga's lease. Pass it to `fetch` and
   * database calls.
   */
  readonly signal: AbortSignal;
  /** A logger whose lines carry the saga and the step. */
  readonly logger: Logger;
}

/**
 * Options of {@linkcode SagaContext.step}.
 *
 * @template T What the step returns.
 */
export interface StepOptions<T> {
  /**
   * Undoes the step: registered once the step succeeded, and run (durably,
   * retried with the step's policy, last registered first) when a later
   * step fails or the saga is cancelled. It receives the step's recorded
   * result.
   */
  readonly compensate?: ((result: T, context: StepContext) => unknown) | undefined;
  /** How a failed attempt is retried. @default {the saga's `retry`} */
  readonly retry?: RetryPolicy | undefined;
  /** Milliseconds an attempt may take; then its signal aborts and the attempt fails. */
  readonly timeout?: number | undefined;
}

/**
 * Options of {@linkcode SagaContext.waitForSignal}.
 *
 * @template TSchema The payload's schema.
 */
export interface WaitForSignalOptions<TSchema extends z.ZodType> {
  /** The payload's schema; a payload it refuses makes the wait throw `SAGAS_INVALID_SIGNAL`. */
  readonly schema?: TSchema | undefined;
  /** Milliseconds to wait; then the wait throws `SAGAS_SIGNAL_TIMEOUT`. @default {no limit} */
  readonly timeout?: number | undefined;
}

/** What `enqueue` and `startSaga` return: the id of what they started. */
export interface Started {
  /** The job's or the child saga's id. */
  readonly id: string;
}

/**
 * A saga definition as `startSaga` needs it: its name, version and input
 * schema (any `defineSaga` result).
 *
 * @template TInput The input schema.
 */
export interface StartableSaga<TInput extends z.ZodType = z.ZodType> {
  /** Always `saga`. */
  readonly kind: "saga";
  /** The saga's name. */
  readonly name: string;
  /** Its version. */
  readonly version: number;
  /** Its input schema. */
  readonly input: TInput;
}

/**
 * The durable operations of a saga. Call them one at a time (await each
 * before the next); the same calls in the same order on every replay.
 * Results are kept as JSON: a step returning a `Date` gets back a string,
 * on the first run as on a replay.
 */
export interface SagaContext {
  /** The saga's id. */
  readonly id: string;
  /** The saga definition's name. */
  readonly name: string;
  /** The version it runs on. */
  readonly version: number;
  /** Aborted with `SAGAS_CANCELLED` when a cancel of the saga is seen. */
  readonly signal: AbortSignal;
  /** A logger whose lines carry the saga. */
  readonly logger: Logger;
  /**
   * Runs `fn` once and records its result; on a replay returns the
   * recorded result without running it. A failed attempt is retried (the
   * saga leaves memory during the back-off); after the last one, it throws
   * `SAGAS_STEP_FAILED`.
   *
   * @param name The step's name, for the journal and the API.
   * @param fn The work; it should be idempotent, as an attempt cut short by a crash runs again.
   * @param options Its compensation, retry policy and timeout.
   * @returns Its result, as JSON gives it back.
   */
  step<T>(
    name: string,
    fn: (context: StepContext) => T | Promise<T>,
    options?: StepOptions<Awaited<T>>,
  ): Promise<Awaited<T>>;
  /**
   * Waits `ms` milliseconds durably: the saga leaves memory and a runner
   * picks it up again when the time has come, also after a restart.
   *
   * @param name The sleep's name.
   * @param ms Milliseconds, ≥ 0.
   */
  sleep(name: string, ms: number): Promise<void>;
  /**
   * Waits durably for a signal of this name (sent with the API or the
   * client; one sent before the wait is kept for it) and returns its payload.
   *
   * @param name The signal's name.
   * @param options The payload's schema and a timeout.
   * @returns The payload.
   */
  waitForSignal<TSchema extends z.ZodType = z.ZodUnknown>(
    name: string,
    options?: WaitForSignalOptions<TSchema>,
  ): Promise<z.output<TSchema>>;
  /**
   * Enqueues a workers job exactly once, however often the saga replays.
   *
   * @param job The job's definition.
   * @param input Its input, checked against the job's schema.
   * @returns The job's id.
   */
  enqueue<TJob extends JobDefinition>(job: TJob, input: z.input<TJob["input"]>): Promise<Started>;
  /**
   * Starts a child saga exactly once; it runs on its own (this saga does
   * not wait for it).
   *
   * @param saga The child's definition.
   * @param input Its input, checked against its schema.
   * @returns The child's id.
   */
  startSaga<TInput extends z.ZodType>(
    saga: StartableSaga<TInput>,
    input: z.input<TInput>,
  ): Promise<Started>;
  /** The time, recorded: a replay gets the same time. */
  now(): Date;
  /** A random UUID, recorded: a replay gets the same one. */
  uuid(): string;
  /** A random number in [0, 1), recorded: a replay gets the same one. */
  random(): number;
}
