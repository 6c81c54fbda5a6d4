import { dirname, join } from "node:path";
import type { ResourceGraph } from "@netscript/plugin";

/** Where the runner records its resources, relative to the workspace root. */
export const STATE_FILE = ".netscript/dev/state.json";

/** The state of one resource, as `.netscript/dev/state.json` records it. */
export interface ResourceState {
  /** The resource name. */
  name: string;
  /** `store`, `service` or `processor`. */
  kind: string;
  /** The process id, while it runs. */
  pid: number | null;
  /** A service's port. */
  port: number | null;
  /** `starting`, `running`, `restarting`, `failed`, `stopping`, `stopped` (stores: `ready`). */
  state: string;
  /** How many times it was restarted after crashing. */
  restarts: number;
}

/** Options of {@linkcode createStateTable}. */
export interface CreateStateTableOptions {
  /** The workspace root; the table is written to {@linkcode STATE_FILE} under it. */
  root: string;
  /**
   * Called after each change has been written.
   * @default {nothing}
   */
  onChange?: (states: readonly ResourceState[], changed: ResourceState, message?: string) => void;
}

/** Every resource's state, kept in memory and in `.netscript/dev/state.json`. */
export interface StateTable {
  /** Every resource's state, in graph order; the objects change in place. */
  readonly states: readonly ResourceState[];
  /**
   * Changes one resource's state, writes the file and reports the change.
   * Writes happen one at a time, in the order of the calls, each with the
   * table as it was at its call.
   *
   * @throws {RangeError} When no resource has that name.
   */
  update(name: string, changes: Partial<ResourceState>, message?: string): Promise<void>;
  /** Writes the file as the table stands, without reporting a change. */
  write(): Promise<void>;
}

/**
 * Creates the state table of a graph: stores `ready`, processes `starting`,
 * no pids, no restarts. Each write records the runner's pid beside the
 * resources and replaces the file atomically (a reader never sees half).
 *
 * @param graph The graph being run.
 * @param options Where to write and whom to tell.
 * @returns The table; nothing is written until the first call.
 * @example
 * ```ts
 * import { createStateTable } from "./state_table.ts";
 *
 * const table = createStateTable({ resources: [] }, { root: "." });
 * console.log(table.states.length); // 0
 * ```
 */
export function createStateTable(
  graph: ResourceGraph,
  options: CreateStateTableOptions,
): StateTable {
  const states: ResourceState[] = graph.resources.map((r) => ({
    name: r.name,
    kind: r.kind,
    pid: null,
    port: "port" in r && r.port !== undefined ? r.port : null,
    state: r.kind === "store" ? "ready" : "starting",
    restarts: 0,
  }));
  let written: Promise<void> = Promise.resolve();
  const write = (): Promise<void> => {
    const text = `${JSON.stringify({ runner: Deno.pid, resources: states }, null, 2)}\n`;
    const next = written.then(() => _replaceFile(join(options.root, STATE_FILE), text));
    // A failed write fails its caller's call, not every later one.
    written = next.catch(() => {});
    return next;
  };
  return {
    states,
    write,
    async update(name, changes, message) {
      const state = states.find((s) => s.name === name);
      if (state === undefined) {
        throw new RangeError(
          `Cannot update the state of "${name}": the graph has no such resource; use one of ${
            states.map((s) => `"${s.name}"`).join(", ")
          }`,
        );
      }
      Object.assign(state, changes);
      await write();
      options.onChange?.(states, state, message);
    },
  };
}

/** Writes `text` to a temporary file beside `file`, then renames it over `file`. */
async function _replaceFile(file: string, text: string): Promise<void> {
  await Deno.mkdir(dirname(file), { recursive: true });
  const temporary = `${file}.tmp-${crypto.randomUUID().slice(0, 8)}`;
  await Deno.writeTextFile(temporary, text);
  await Deno.rename(temporary, file);
}
