import type { ProcessResource, ResourceGraph } from "@netscript/plugin";
import { findLauncher } from "./parent_death.ts";
import { spawnResource } from "./spawn_resource.ts";
import { dependencyOrder, startByDependency } from "./start_by_dependency.ts";
import { createStateTable, type ResourceState } from "./state_table.ts";
import { stopLeftovers } from "./stop_leftovers.ts";
import { type ProcessSupervisor, superviseProcess } from "./supervise_process.ts";

export type { ResourceState } from "./state_table.ts";
export { stopLeftovers } from "./stop_leftovers.ts";

/** What the runner reports as it goes. */
export interface RunnerEvents {
  /** A line a resource printed. */
  line(resource: string, stream: "stdout" | "stderr", text: string): void;
  /** A resource changed state. */
  state(states: readonly ResourceState[], changed: ResourceState, message?: string): void;
}

/** Options of {@linkcode startResources}. */
export interface RunnerOptions {
  /** The workspace root. */
  root: string;
  /** The graph to run. */
  graph: ResourceGraph;
  /** Where events go. */
  events: RunnerEvents;
  /**
   * Reads the runner's variables that the processes receive (see `spawnResource`).
   * @default {the runner's environment}
   */
  env?: (name: string) => string | undefined;
  /**
   * Lists the runner's variable names, for declared prefixes (see `spawnResource`).
   * @default {the runner's environment's names}
   */
  envNames?: () => readonly string[];
  /**
   * How long a service may take to answer `/health`.
   * @default {30000}
   */
  healthTimeoutMs?: number;
  /**
   * Crashes within `crashWindowMs` after which a resource is given up.
   * @default {5}
   */
  maxCrashes?: number;
  /**
   * The window for counting crashes.
   * @default {30000}
   */
  crashWindowMs?: number;
}

/** A running graph. */
export interface RunningResources {
  /** Every resource's state. */
  states(): readonly ResourceState[];
  /**
   * Restarts one process on purpose (its files changed): stops it, starts
   * it again and waits for a service's `/health`. Not counted as a crash;
   * brings back a process that was given up.
   */
  restart(name: string, reason?: string): Promise<void>;
  /**
   * Stops one process on request; it stays stopped, without counting as a
   * crash, until {@linkcode RunningResources.restart}.
   */
  stopOne(name: string): Promise<void>;
  /**
   * Stops every process in reverse dependency order (a processor before the
   * service it waits for): SIGTERM, then SIGKILL after the grace period.
   */
  stop(): Promise<void>;
}

/**
 * Starts every process of the graph as its own `deno run` with exactly its
 * permission flags, each as soon as everything it waits for is up (a
 * service once it answers `/health`, a processor once it runs), so that
 * independent resources start at the same time; keeps
 * `.netscript/dev/state.json` current; restarts a process that exits with
 * exponential backoff, and gives up after repeated rapid crashes. On Linux
 * the children receive SIGTERM when the runner dies, however it dies.
 *
 * @param options The root, the graph and where to report.
 * @returns The running resources.
 * @throws {NetScriptError} `DEV_HEALTH_FAILED` when a service keeps answering with a failing
 *   check, `DEV_HEALTH_TIMEOUT` when it never answers; nothing more starts
 *   then, and what started has been stopped.
 * @throws {TypeError} When the processes wait for each other in a cycle.
 * @example
 * ```ts
 * import type { ResourceGraph } from "@netscript/plugin";
 * import { startResources } from "./run_resources.ts";
 *
 * declare const graph: ResourceGraph;
 * const running = await startResources({
 *   root: Deno.cwd(),
 *   graph,
 *   events: {
 *     line: (resource, _stream, text) => console.log(`${resource} │ ${text}`),
 *     state: (_states, changed, message) => console.log(changed.name, changed.state, message ?? ""),
 *   },
 * });
 * await running.stop();
 * ```
 */
export async function startResources(options: RunnerOptions): Promise<RunningResources> {
  const { root, graph, events, healthTimeoutMs = 30_000, maxCrashes = 5, crashWindowMs = 30_000 } =
    options;
  const table = createStateTable(graph, {
    root,
    onChange: (states, changed, message) => events.state(states, changed, message),
  });
  const processes = graph.resources.filter((r): r is ProcessResource => r.kind !== "store");
  const lastFirst = dependencyOrder(processes).reverse();
  const [launcher] = await Promise.all([findLauncher(), stopLeftovers(root)]);
  const stopping = new AbortController();
  const supervisors = new Map<string, ProcessSupervisor>(processes.map((resource) => [
    resource.name,
    superviseProcess(resource, {
      spawn: () =>
        spawnResource(resource, {
          root,
          launcher,
          onLine: (stream, text) => events.line(resource.name, stream, text),
          ...(options.env ? { env: options.env } : {}),
          ...(options.envNames ? { envNames: options.envNames } : {}),
        }).child,
      update: (changes, message) => table.update(resource.name, changes, message),
      signal: stopping.signal,
      healthTimeoutMs,
      crashPolicy: { maxCrashes, crashWindowMs },
    }),
  ]));

  await table.write();
  try {
    await startByDependency(processes, (resource) => supervisors.get(resource.name)!.start(), {
      async onFailure() {
        stopping.abort();
        for (const { name } of lastFirst) await supervisors.get(name)!.stop();
      },
    });
  } catch (error) {
    for (const state of table.states) {
      if (state.kind !== "store") await table.update(state.name, { state: "stopped", pid: null });
    }
    throw error;
  }

  return {
    states: () => table.states,
    async restart(name, reason) {
      await supervisors.get(name)?.restart(reason);
    },
    async stopOne(name) {
      await supervisors.get(name)?.pause();
    },
    async stop() {
      stopping.abort();
      for (const { name } of lastFirst) {
        const supervisor = supervisors.get(name)!;
        if (supervisor.child === undefined) continue;
        await table.update(name, { state: "stopping" });
        await supervisor.stop();
        await table.update(name, { state: "stopped", pid: null });
      }
    },
  };
}
