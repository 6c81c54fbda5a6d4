/**
 * The order in which the runner starts and stops the processes of a graph:
 * each one as soon as everything it waits for is up, so that independent
 * resources (the app's service and every plugin service) start together,
 * and a dependent (a plugin's processor) never before its dependency.
 *
 * @module
 */

/** One thing to start: its name and the names of what it waits for. */
export interface DependencyNode {
  /** The name, unique among the nodes. */
  readonly name: string;
  /** What must be up first; names that are not among the nodes (the stores) are ignored. */
  readonly waitFor: readonly string[];
}

/** Options of {@linkcode startByDependency}. */
export interface StartByDependencyOptions {
  /**
   * Runs once, at the first failed start, while other starts may still be
   * in flight: it must make them end (by stopping their processes).
   */
  onFailure(error: unknown): Promise<void>;
}

/**
 * Orders nodes so that each one comes after every node it waits for,
 * keeping the given order wherever the dependencies leave a choice. The
 * reverse is the order to stop them in.
 *
 * @param nodes The nodes, in their preferred order.
 * @returns The same nodes, dependencies first.
 * @throws {TypeError} When two nodes share a name or the nodes wait for
 *   each other in a cycle.
 * @example
 * ```ts
 * import { dependencyOrder } from "./start_by_dependency.ts";
 *
 * const order = dependencyOrder([
 *   { name: "worker", waitFor: ["db", "api"] },
 *   { name: "api", waitFor: ["db"] },
 * ]);
 * console.log(order.map((node) => node.name)); // ["api", "worker"]
 * ```
 */
export function dependencyOrder<T extends DependencyNode>(nodes: readonly T[]): T[] {
  const byName = new Map<string, T>();
  for (const node of nodes) {
    if (byName.has(node.name)) {
      throw new TypeError(
        `Cannot order the resources: "${node.name}" appears twice; name each once`,
      );
    }
    byName.set(node.name, node);
  }
  const order: T[] = [];
  const placed = new Set<string>();
  const visiting: string[] = [];
  const place = (node: T): void => {
    if (placed.has(node.name)) return;
    if (visiting.includes(node.name)) {
      const cycle = [...visiting.slice(visiting.indexOf(node.name)), node.name];
      throw new TypeError(
        `Cannot order the resources: they wait for each other (${
          cycle.join(" → ")
        }); remove one of these waitFor entries`,
      );
    }
    visiting.push(node.name);
    for (const name of node.waitFor) {
      const dependency = byName.get(name);
      if (dependency !== undefined) place(dependency);
    }
    visiting.pop();
    placed.add(node.name);
    order.push(node);
  };
  for (const node of nodes) place(node);
  return order;
}

/**
 * Starts every node as soon as each node it waits for has started, so that
 * nodes that do not depend on each other start at the same time. After the
 * first failed start no further node starts: `onFailure` runs, every start
 * already under way is awaited, and the returned promise rejects with that
 * first failure (starts that fail after it, because `onFailure` stopped
 * them, are not reported).
 *
 * @param nodes The nodes; see {@linkcode dependencyOrder} for what is rejected.
 * @param start Starts one node; resolves once it is up (a service: healthy).
 * @param options What to do at the first failure.
 * @returns Resolves once every node has started.
 * @throws {TypeError} From {@linkcode dependencyOrder}, before anything starts.
 * @example
 * ```ts
 * import { startByDependency } from "./start_by_dependency.ts";
 *
 * await startByDependency(
 *   [{ name: "api", waitFor: [] }, { name: "docs", waitFor: [] }, { name: "worker", waitFor: ["api"] }],
 *   async (node) => console.log(`starting ${node.name}`),
 *   { onFailure: async (error) => console.error(`stopping everything: ${error}`) },
 * );
 * ```
 */
export async function startByDependency<T extends DependencyNode>(
  nodes: readonly T[],
  start: (node: T) => Promise<void>,
  options: StartByDependencyOptions,
): Promise<void> {
  const order = dependencyOrder(nodes);
  const names = new Set(order.map((node) => node.name));
  let failure = undefined as { error: unknown; stopped: Promise<void> } | undefined;
  /** Per node: resolves `true` once it started, `false` when it did not. */
  const started = new Map<string, Promise<boolean>>();
  for (const node of order) {
    const dependencies = node.waitFor.filter((name) => names.has(name)).map((name) =>
      started.get(name)!
    );
    started.set(
      node.name,
      (async () => {
        const ready = await Promise.all(dependencies);
        if (failure !== undefined || !ready.every(Boolean)) return false;
        try {
          await start(node);
          return true;
        } catch (error) {
          if (failure === undefined) {
            const stopped = options.onFailure(error);
            // Awaited below, once the starts in flight have ended.
            stopped.catch(() => {});
            failure = { error, stopped };
          }
          return false;
        }
      })(),
    );
  }
  await Promise.all(started.values());
  if (failure !== undefined) {
    await failure.stopped;
    throw failure.error;
  }
}
