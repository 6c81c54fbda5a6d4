/**
 * {@linkcode createSagaRunner}: the loop the `saga-runner` process runs.
 * It claims runnable sagas while it has room, runs each until it finishes
 * or waits, keeps their leases alive, passes cancels on, and looks again
 * when the store says something became runnable (or every `pollMs`, for
 * sleeps and back-offs whose time came).
 *
 * @module
 */
import { abortableSleep } from "@netscript/plugin-workers-core";
import { createLogger, extractTraceContext, type Logger, withSpan } from "@netscript/telemetry";
import { type SagaCatalog, sagaCatalog, type SagaList } from "../dsl/saga_list.ts";
import type { ClaimedSaga, SagaStore, StartedSaga } from "../ports/saga_store.ts";
import type { z } from "zod";
import type { SagaDefinition } from "../dsl/define_saga.ts";
import { checkSameSaga, definitionFor, newSagaFor } from "./_start_saga.ts";
import type { SagaStart, StartSagaOptions } from "./saga_client.ts";
import { executeSaga, type ExecutionEnd, type JobStarter } from "./saga_execution.ts";
import { messageOf, sagaError } from "./saga_errors.ts";

/** What {@linkcode SagaRunner.startSaga} returns. */
export interface RunnerSagaStart extends SagaStart {
  /**
   * When the saga runs here: resolves once this run lets it go (it
   * finished, waits, or backs off), with how it ended; `undefined` after a
   * store failure. Absent when another runner will claim it.
   */
  readonly run?: Promise<ExecutionEnd | undefined> | undefined;
}

/** Limits of a runner that {@linkcode SagaRunner.configure} may change while it runs. */
export interface SagaRunnerLimits {
  /** Sagas run at once, 1–1000. @default {16} */
  readonly concurrency?: number | undefined;
}

/** Options of {@linkcode createSagaRunner}. */
export interface SagaRunnerOptions extends SagaRunnerLimits {
  /** The store. */
  readonly store: SagaStore;
  /** The workspace's sagas: definitions, definition files, or a catalog. */
  readonly sagas: SagaList | SagaCatalog;
  /** Where `ctx.enqueue` starts jobs (a workers job client). */
  readonly jobs?: JobStarter | undefined;
  /** How long a lease lasts without a heartbeat, in ms (heartbeats go every third of it). @default {30000} */
  readonly leaseMs?: number | undefined;
  /**
   * The longest an idle runner waits before looking for sagas whose sleep
   * or back-off ended, in ms; starts, signals, cancels and retries wake it
   * at once. @default {1000}
   */
  readonly pollMs?: number | undefined;
  /** The id its leases are held in. @default {`saga-runner-<uuid>`} */
  readonly owner?: string | undefined;
  /** Where it logs. @default {a JSON logger for the service "sagas"} */
  readonly logger?: Logger | undefined;
  /** The clock. @default {() => new Date()} */
  readonly now?: (() => Date) | undefined;
}

/** A saga runner. */
export interface SagaRunner {
  /** The id its leases are held in. */
  readonly owner: string;
  /** How many sagas it runs now. */
  readonly running: number;
  /**
   * Claims and runs sagas until stopped; resolves once stopped.
   *
   * @throws {NetScriptError} `SAGAS_ALREADY_STARTED` on a second call.
   */
  start(): Promise<void>;
  /**
   * Stops claiming, aborts the steps running (their sagas are given back,
   * runnable at once) and resolves once every saga it ran was let go.
   */
  stop(): Promise<void>;
  /**
   * Starts a saga and, while this runner is started and has room, runs it
   * here at once: it is stored already leased to this runner, so no wake-up
   * is sent and no claim is needed (the way DBOS runs a workflow in the
   * process that calls it). Otherwise it is started as
   * `SagaClient.start` starts it, and claimed by any runner.
   *
   * @param saga The saga's definition, or its name (its newest version).
   * @param input Its input, checked against its schema.
   * @param options Its id (idempotency key).
   * @returns The saga's id and state, whether it was started now, and
   * its run here, if it runs here.
   * @throws {NetScriptError} As `SagaClient.start`.
   */
  startSaga<TInput extends z.ZodType>(
    saga: SagaDefinition<TInput, unknown, string> | string,
    input: z.input<TInput>,
    options?: StartSagaOptions,
  ): Promise<RunnerSagaStart>;
  /**
   * Claims and runs what is runnable now, without a loop, until nothing
   * is; for tests and scripts.
   *
   * @returns How each saga run ended, in order.
   */
  drain(): Promise<ExecutionEnd[]>;
  /**
   * Changes limits while it runs.
   *
   * @param limits The new limits; a field left out keeps its value.
   * @throws {RangeError} For a concurrency outside 1–1000.
   */
  configure(limits: SagaRunnerLimits): void;
}

/** One saga the runner runs now. */
interface Active {
  readonly cancel: AbortController;
  readonly release: AbortController;
}

/**
 * Creates a saga runner.
 *
 * @param options The store, the sagas, the job client and the limits.
 * @returns The runner, not started.
 * @throws {RangeError} For limits out of range.
 * @throws {NetScriptError} `SAGAS_DUPLICATE_SAGA`, `SAGAS_INVALID_DEFINITION` from the list.
 *
 * @example
 * ```ts
 * import { createSagaClient, createSagaRunner, defineSaga } from "@netscript/plugin-sagas-core";
 * import { createMemorySagaStore } from "@netscript/plugin-sagas-core/memory";
 * import { z } from "zod";
 *
 * const greet = defineSaga({
 *   name: "greet",
 *   input: z.object({ name: z.string() }),
 *   run: ({ name }, ctx) => ctx.step("hello", () => `hello ${name}`),
 * });
 * const store = createMemorySagaStore();
 * const { id } = await createSagaClient({ store, sagas: [greet] }).start(greet, { name: "Ada" });
 * const runner = createSagaRunner({ store, sagas: [greet] });
 * console.log(await runner.drain(), (await store.get(id))?.saga.state); // ["completed"] "completed"
 * await store.close();
 * ```
 */
export function createSagaRunner(options: SagaRunnerOptions): SagaRunner {
  const catalog = "latest" in options.sagas ? options.sagas : sagaCatalog(options.sagas);
  const leaseMs = _limit("leaseMs", options.leaseMs ?? 30_000, 100, 86_400_000);
  const pollMs = _limit("pollMs", options.pollMs ?? 1_000, 1, 3_600_000);
  let concurrency = _limit("concurrency", options.concurrency ?? 16, 1, 1_000);
  const owner = options.owner ?? `saga-runner-${crypto.randomUUID()}`;
  const logger = options.logger ?? createLogger({ service: "sagas" });
  const now = options.now ?? (() => new Date());
  const { store } = options;
  const active = new Map<string, Active>();
  const running = new Set<Promise<void>>();
  /** Starts being stored leased to this runner, not yet running: they hold room too. */
  let reserved = 0;
  const stopping = new AbortController();
  let roomFreed: () => void = () => {};
  let started = false;
  let loop: Promise<void> | undefined;

  const execute = async (claimed: ClaimedSaga): Promise<ExecutionEnd | undefined> => {
    const { id } = claimed.saga;
    const entry: Active = { cancel: new AbortController(), release: new AbortController() };
    active.set(id, entry);
    try {
      const { traceparent } = claimed.saga;
      return await withSpan("saga.run", async (span) => {
        span.setAttribute("netscript.saga", claimed.saga.name);
        span.setAttribute("netscript.saga_id", id);
        const end = await executeSaga(claimed, {
          store,
          owner,
          catalog,
          jobs: options.jobs,
          logger,
          release: AbortSignal.any([entry.release.signal, stopping.signal]),
          cancel: entry.cancel,
          now,
        });
        span.setAttribute("netscript.saga_end", end);
        return end;
      }, {
        ...(traceparent === null
          ? {}
          : { parent: extractTraceContext(new Headers({ traceparent })) }),
      });
    } catch (error) {
      logger.error("saga run stopped by a store failure; it resumes when its lease runs out", {
        saga: claimed.saga.name,
        sagaId: id,
        error: messageOf(error),
      });
      return undefined;
    } finally {
      active.delete(id);
      roomFreed();
    }
  };

  const launch = (claimed: ClaimedSaga): Promise<ExecutionEnd | undefined> => {
    const ended = execute(claimed);
    const done = ended.then(() => {});
    running.add(done);
    done.finally(() => running.delete(done));
    return ended;
  };

  const heartbeat = async (): Promise<void> => {
    const ids = [...active.keys()];
    if (ids.length === 0) return;
    try {
      const outcome = await store.heartbeat(owner, ids, leaseMs);
      const held = new Set(outcome.held);
      for (const id of ids) if (!held.has(id)) active.get(id)?.release.abort();
      for (const id of outcome.cancelRequested) {
        const entry = active.get(id);
        if (entry !== undefined && !entry.cancel.signal.aborted) {
          entry.cancel.abort(
            sagaError(
              "SAGAS_CANCELLED",
              `Saga "${id}" was cancelled; it compensates what finished`,
              {
                id,
              },
            ),
          );
        }
      }
    } catch (error) {
      logger.error("saga lease heartbeat failed", { error: messageOf(error), sagas: ids.length });
    }
  };

  const claim = async (limit: number): Promise<ClaimedSaga[]> => {
    try {
      return await store.claim({ owner, limit, leaseMs, names: catalog.names });
    } catch (error) {
      logger.error("saga claim failed", { error: messageOf(error) });
      await abortableSleep(pollMs, stopping.signal);
      return [];
    }
  };

  const beating = async <T>(body: () => Promise<T>): Promise<T> => {
    const beat = setInterval(() => void heartbeat(), Math.floor(leaseMs / 3));
    try {
      return await body();
    } finally {
      clearInterval(beat);
    }
  };

  const run = (): Promise<void> =>
    beating(async () => {
      try {
        while (!stopping.signal.aborted) {
          const room = concurrency - active.size - reserved;
          const claimed = room > 0 ? await claim(room) : [];
          // A saga still running here whose lease ran out (heartbeats failed) and that this
          // runner claimed again keeps its one run; the claim only renewed the lease.
          for (const saga of claimed) if (!active.has(saga.saga.id)) launch(saga);
          if (stopping.signal.aborted) break;
          if (room - claimed.length <= 0) {
            await Promise.race([
              new Promise<void>((resolve) => (roomFreed = resolve)),
              abortableSleep(leaseMs, stopping.signal),
            ]);
          } else {
            // Fewer than asked for: nothing else was runnable; a start since then wakes the wait.
            await store.waitForWork(pollMs, stopping.signal);
          }
        }
      } finally {
        await Promise.all([...running]);
      }
    });

  return {
    owner,
    get running() {
      return active.size;
    },
    start() {
      if (started) {
        return Promise.reject(
          sagaError(
            "SAGAS_ALREADY_STARTED",
            "SagaRunner.start() was called a second time; start each runner once",
            {
              owner,
            },
          ),
        );
      }
      started = true;
      logger.info("saga runner started", { owner, concurrency, sagas: catalog.names });
      loop = run();
      return loop;
    },
    async stop() {
      stopping.abort();
      await (loop ?? Promise.all([...running]));
    },
    async startSaga(saga, input, startOptions = {}) {
      const definition = definitionFor(catalog, saga);
      const here = loop !== undefined && !stopping.signal.aborted &&
        active.size + reserved < concurrency &&
        catalog.at(definition.name, definition.version) !== undefined;
      if (here) reserved++;
      let started: StartedSaga;
      try {
        started = await store.start({
          ...newSagaFor(definition, input, startOptions.id),
          ...(here ? { lease: { owner, leaseMs } } : {}),
        });
      } finally {
        // The launch below takes the room in the same turn, so no claim or start sees a gap.
        if (here) reserved--;
      }
      checkSameSaga(started, definition.name);
      const answer = { id: started.saga.id, state: started.saga.state, created: started.created };
      if (!started.created || !here) return answer;
      return { ...answer, run: launch({ saga: started.saga, entries: [], signals: [] }) };
    },
    drain: () =>
      beating(async () => {
        const ends: ExecutionEnd[] = [];
        for (;;) {
          const claimed = await store.claim({
            owner,
            limit: concurrency,
            leaseMs,
            names: catalog.names,
          });
          if (claimed.length === 0) return ends;
          const results = await Promise.all(claimed.map(execute));
          for (const end of results) if (end !== undefined) ends.push(end);
        }
      }),
    configure(limits) {
      if (limits.concurrency !== undefined) {
        concurrency = _limit("concurrency", limits.concurrency, 1, 1_000);
        roomFreed();
      }
    },
  };
}

function _limit(name: string, value: number, min: number, max: number): number {
  if (Number.isInteger(value) && value >= min && value <= max) return value;
  throw new RangeError(`${name} must be an integer from ${min} to ${max}, got ${value}`);
}
