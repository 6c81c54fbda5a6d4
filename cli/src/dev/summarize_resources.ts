import type { ResourceGraph } from "@netscript/plugin";
import type { ResourceState } from "./state_table.ts";

/** Why and from where a service's port moved. */
export interface PortMove {
  /** The port it asked for. */
  from: number;
  /** Why it did not get it, e.g. `port taken`. */
  reason: string;
}

/** A resource as the start banner and the `ready` event show it. */
export interface ResourceSummary extends ResourceState {
  /** A service's base URL. */
  url?: string;
  /** A service's API reference page. */
  docs?: string;
  /** A service's health check. */
  health?: string;
  /** Set when a service runs on another port than it asked for. */
  moved?: PortMove;
}

/**
 * Adds to each resource's state what a user needs to reach it: for a
 * service, its URL, docs and health URLs, and where its port moved from.
 *
 * @param states Every resource's state.
 * @param graph The graph being run (for each service's health path).
 * @param moves The services whose port moved, by name.
 * @returns One summary per state, in the same order.
 * @example
 * ```ts
 * import { summarizeResources } from "./summarize_resources.ts";
 *
 * const [api] = summarizeResources(
 *   [{ name: "api", kind: "service", pid: 1, port: 3001, state: "running", restarts: 0 }],
 *   { resources: [] },
 *   new Map([["api", { from: 3000, reason: "port taken" }]]),
 * );
 * console.log(api?.docs); // http://127.0.0.1:3001/api/docs
 * ```
 */
export function summarizeResources(
  states: readonly ResourceState[],
  graph: ResourceGraph,
  moves: ReadonlyMap<string, PortMove> = new Map(),
): ResourceSummary[] {
  return states.map((state) => {
    if (state.kind !== "service" || state.port === null) return { ...state };
    const resource = graph.resources.find((r) => r.name === state.name);
    const url = `http://127.0.0.1:${state.port}`;
    const move = moves.get(state.name);
    return {
      ...state,
      url,
      docs: `${url}/api/docs`,
      health: `${url}${resource && "health" in resource && resource.health || "/health"}`,
      ...(move !== undefined && move.from !== state.port ? { moved: { ...move } } : {}),
    };
  });
}

/**
 * The start banner as a table: one row per resource, a moved port marked
 * in its cell.
 *
 * @param summaries What {@linkcode summarizeResources} returned.
 * @returns The header and the rows.
 * @example
 * ```ts
 * import { bannerTable } from "./summarize_resources.ts";
 *
 * const { header } = bannerTable([]);
 * console.log(header.join(" ")); // RESOURCE KIND PID PORT STATE DOCS HEALTH
 * ```
 */
export function bannerTable(
  summaries: readonly ResourceSummary[],
): { header: string[]; rows: string[][] } {
  return {
    header: ["RESOURCE", "KIND", "PID", "PORT", "STATE", "DOCS", "HEALTH"],
    rows: summaries.map((s) => [
      s.name,
      s.kind,
      s.pid ? String(s.pid) : "-",
      s.port === null
        ? "-"
        : s.moved
        ? `${s.port} (moved from ${s.moved.from}: ${s.moved.reason})`
        : String(s.port),
      s.state,
      s.docs ?? "-",
      s.health ?? "-",
    ]),
  };
}
