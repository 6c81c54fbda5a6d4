/**
 * DBOS Transact in the sagas benchmark, as in the research's recipe: one
 * workflow registered with `DBOS.registerWorkflow` whose steps run through
 * `DBOS.runStep`, called directly and awaited, on a system database given
 * by URL. DBOS is a benchmark-only package (see `../../bench_packages.ts`);
 * this module runs with the benchmarks' lockfile.
 *
 * @module
 */
import { DBOS_SDK, loadBenchPackage } from "../../bench_packages.ts";
import { runSagaChild } from "../child.ts";
import { type OpenSagaSystem, SAGA_NAME, type SagaSystem } from "../system.ts";

/** The part of DBOS's API the benchmark uses. */
interface Dbos {
  setConfig(config: { name: string; systemDatabaseUrl: string; logLevel: string }): void;
  registerWorkflow<TArgs extends unknown[], TReturn>(
    fn: (...args: TArgs) => Promise<TReturn>,
    config: { name: string },
  ): (...args: TArgs) => Promise<TReturn>;
  runStep<T>(fn: () => Promise<T>, config: { name: string }): Promise<T>;
  launch(): Promise<void>;
  shutdown(): Promise<void>;
}

/**
 * DBOS on the system database the child is given. DBOS is configured and
 * the workflow registered on the first open; later opens launch it again.
 *
 * @returns The system.
 */
function dbosSagas(): SagaSystem {
  let workflow: ((steps: number) => Promise<number>) | undefined;
  let dbos: Dbos | undefined;
  return {
    async open(location): Promise<OpenSagaSystem> {
      if (dbos === undefined || workflow === undefined) {
        const loaded = (await loadBenchPackage<{ DBOS: Dbos }>(DBOS_SDK)).DBOS;
        loaded.setConfig({
          name: "netscript-bench",
          systemDatabaseUrl: location,
          logLevel: "error",
        });
        workflow = loaded.registerWorkflow(async (steps: number) => {
          let x = 0;
          for (let i = 0; i < steps; i++) {
            const last = x;
            x = await loaded.runStep(() => Promise.resolve(last + 1), { name: `s${i}` });
          }
          return x;
        }, { name: SAGA_NAME });
        dbos = loaded;
      }
      const run = workflow;
      const launched = dbos;
      await launched.launch();
      return {
        async runSaga(steps) {
          const result = await run(steps);
          if (result !== steps) throw new Error(`A workflow of ${steps} steps returned ${result}`);
        },
        storeCalls: () => ({}),
        close: () => launched.shutdown(),
      };
    },
  };
}

if (import.meta.main) await runSagaChild(dbosSagas);
