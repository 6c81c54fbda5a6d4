/**
 * What the sagas benchmark needs from each durable-workflow system, and
 * the systems it compares. Each measurement runs in a child process of its
 * own, started from the system's module under `systems/`, which implements
 * {@linkcode SagaSystem} and calls `runSagaChild` from `child.ts` when it
 * is the main module, so a child loads exactly one system's libraries.
 *
 * @module
 */
import type { StoreCalls } from "./protocol.ts";
import type { StoreKind } from "./stores.ts";

/** The name every benchmark saga (workflow) is registered under, in every system. */
export const SAGA_NAME = "bench-steps";

/** A system opened on its store, ready to run sagas. */
export interface OpenSagaSystem {
  /**
   * Starts one saga of `steps` trivial steps (step `i` returns the previous
   * result plus one) and resolves once the system has recorded its end.
   */
  runSaga(steps: number): Promise<void>;
  /** Calls to the saga store by method, counted since the system opened; empty when not counted. */
  storeCalls(): StoreCalls;
  /** Stops running sagas and closes every connection and file. */
  close(): Promise<void>;
}

/** One durable-workflow system, as a child process drives it. */
export interface SagaSystem {
  /**
   * Opens the system.
   *
   * @param location The database URL or KV file path.
   * @param concurrency How many sagas run at once.
   * @returns The open system.
   */
  open(location: string, concurrency: number): Promise<OpenSagaSystem>;
}

/** One row of the comparison. */
export interface SystemSpec {
  /** The key for `--systems`. */
  id: string;
  /** The row label. */
  label: string;
  /** The system module, run as each child's main module. */
  module: URL;
  /** Passed to the module as `--variant`, to pick its store. */
  variant: string;
  /** The store it runs on. */
  store: StoreKind;
  /**
   * Whether its children run with the benchmarks' own lockfile: it loads a
   * benchmark-only npm package (see `../bench_packages.ts`).
   */
  benchLock: boolean;
  /** The settings used, in words, for the report. */
  settings: string;
}

/** The system every ratio and goal compares against. */
export const BASELINE_ID = "dbos";

/**
 * The NetScript row the goals are judged on: sagas started in the
 * runner that runs them, as DBOS runs a workflow in the process that calls
 * it (the client-started row is measured and reported beside it).
 */
export const GOAL_ID = "netscript-postgres-here";

const systemModule = (name: string) => new URL(`./systems/${name}.ts`, import.meta.url);

/** Every system, in measuring order. */
export const SYSTEMS: readonly SystemSpec[] = [
  {
    id: "netscript-postgres",
    label: "NetScript sagas, Postgres",
    module: systemModule("netscript"),
    variant: "postgres",
    store: "netscript-postgres",
    benchLock: false,
    settings:
      "createPostgresSagaStore({ url }) defaults (pool of 10 + 1 LISTEN connection); createSagaRunner defaults (leaseMs 30000, pollMs 1000) with concurrency = the workload's; sagas started with createSagaClient().start()",
  },
  {
    id: "netscript-postgres-here",
    label: "NetScript sagas, Postgres, started in the runner",
    module: systemModule("netscript"),
    variant: "postgres-here",
    store: "netscript-postgres",
    benchLock: false,
    settings:
      "as the Postgres row, but each saga started with runner.startSaga(): stored already leased to the runner, which runs it at once (no wake-up, no claim), as DBOS runs a workflow in the process that calls it",
  },
  {
    id: "netscript-kv",
    label: "NetScript sagas, Deno KV",
    module: systemModule("netscript"),
    variant: "kv",
    store: "kv",
    benchLock: false,
    settings:
      "createKvSagaStore({ path }) on a KV file in a temporary folder; runner and client as in the Postgres row",
  },
  {
    id: BASELINE_ID,
    label: "DBOS Transact 5.3.0",
    module: systemModule("dbos"),
    variant: "default",
    store: "postgres",
    benchLock: true,
    settings:
      "DBOS.setConfig({ systemDatabaseUrl, logLevel: 'error' }) defaults otherwise (system database pool of 10); DBOS.registerWorkflow, steps by DBOS.runStep, each workflow called directly and awaited, as in the research recipe",
  },
];
