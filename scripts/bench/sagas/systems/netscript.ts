/**
 * NetScript sagas in the sagas benchmark: `--variant=postgres`
 * (`createPostgresSagaStore`) or `--variant=kv` (`createKvSagaStore`), a
 * `createSagaRunner` with the workload's concurrency, and sagas started
 * with `createSagaClient().start()`. The store is wrapped to count its
 * calls and to see each saga's final commit, which is when a loop's
 * `runSaga` resolves: the saga is recorded as ended.
 *
 * @module
 */
import {
  createSagaClient,
  createSagaRunner,
  defineSaga,
  FINISHED_SAGA_STATES,
  type SagaCommit,
  type SagaStore,
} from "@netscript/plugin-sagas-core";
import { createKvSagaStore } from "@netscript/plugin-sagas-core/kv";
import { createPostgresSagaStore } from "@netscript/plugin-sagas-core/postgres";
import { createLogger } from "@netscript/telemetry";
import { z } from "zod";
import { runSagaChild } from "../child.ts";
import type { StoreCalls } from "../protocol.ts";
import { type OpenSagaSystem, SAGA_NAME, type SagaSystem } from "../system.ts";

/** A saga of `steps` steps, each returning the last result plus one. */
const benchSaga = defineSaga({
  name: SAGA_NAME,
  input: z.object({ steps: z.number().int().min(0) }),
  async run({ steps }, ctx) {
    let x = 0;
    for (let i = 0; i < steps; i++) x = await ctx.step(`s${i}`, () => x + 1);
    return x;
  },
});

/** A saga a loop waits for: resolved by its final commit. */
interface Waiter {
  readonly ended: PromiseWithResolvers<void>;
  readonly output: string;
}

/** Warnings and errors go to stderr, where the benchmark collects them. */
const logger = createLogger({ service: "sagas-bench", level: "warn", sink: console.error });

/**
 * Opens NetScript sagas on the store the variant names.
 *
 * @param variant `postgres` or `kv`.
 * @returns The system.
 */
function netscriptSagas(variant: string): SagaSystem {
  const [kind, where] = variant.split("-");
  if ((kind !== "postgres" && kind !== "kv") || (where !== undefined && where !== "here")) {
    throw new TypeError(
      `Unknown variant "${variant}": use postgres or kv, with -here to start sagas in the runner`,
    );
  }
  return {
    async open(location, concurrency): Promise<OpenSagaSystem> {
      const inner = kind === "postgres"
        ? createPostgresSagaStore({ url: location, logger })
        : await createKvSagaStore({ path: location });
      const waiters = new Map<string, Waiter>();
      const calls: StoreCalls = {};
      const store = _observed(inner, calls, (id, commit) => {
        const waiter = waiters.get(id);
        const state = commit.progress?.state;
        if (waiter === undefined || state === undefined) return;
        if (!FINISHED_SAGA_STATES.includes(state)) return;
        waiters.delete(id);
        if (state === "completed" && commit.progress?.output === waiter.output) {
          waiter.ended.resolve();
        } else {
          waiter.ended.reject(
            new Error(`Saga ${id} ended ${state} with ${commit.progress?.output ?? "no output"}`),
          );
        }
      });
      const runner = createSagaRunner({ store, sagas: [benchSaga], concurrency, logger });
      const running = runner.start();
      const client = createSagaClient({ store, sagas: [benchSaga] });
      return {
        async runSaga(steps) {
          const id = crypto.randomUUID();
          const ended = Promise.withResolvers<void>();
          waiters.set(id, { ended, output: String(steps) });
          if (where === "here") {
            const started = await runner.startSaga(benchSaga, { steps }, { id });
            await started.run;
          } else {
            await client.start(benchSaga, { steps }, { id });
          }
          await ended.promise;
        },
        storeCalls: () => structuredClone(calls),
        async close() {
          await runner.stop();
          await running;
          await inner.close();
        },
      };
    },
  };
}

/**
 * The store, with each call counted and timed by method, and each applied
 * commit reported once it returns.
 */
function _observed(
  store: SagaStore,
  calls: StoreCalls,
  committed: (id: string, commit: SagaCommit) => void,
): SagaStore {
  return new Proxy(store, {
    get(target, key) {
      const value = Reflect.get(target, key, target);
      if (typeof value !== "function" || typeof key !== "string") return value;
      return async (...args: unknown[]) => {
        const stats = calls[key] ??= { count: 0, ms: 0 };
        stats.count++;
        const started = performance.now();
        try {
          const result = await value.apply(target, args);
          if (key === "commit" && (result as Awaited<ReturnType<SagaStore["commit"]>>).held) {
            const [id, , commit] = args as [string, string, SagaCommit];
            committed(id, commit);
          }
          return result;
        } finally {
          stats.ms += performance.now() - started;
        }
      };
    },
  });
}

if (import.meta.main) await runSagaChild(netscriptSagas);
