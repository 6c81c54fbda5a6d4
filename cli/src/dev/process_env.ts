import type { ProcessResource, ResourceGraph } from "@netscript/plugin";

/**
 * Adds variables to every process of the graph (stores are left alone); a
 * variable the process already has is replaced.
 *
 * @param graph The resource graph.
 * @param env The variables to add.
 * @returns The graph with them in each process's environment.
 * @example
 * ```ts
 * import { withProcessEnv } from "./process_env.ts";
 *
 * const graph = withProcessEnv({ resources: [] }, { OTEL_DENO: "true" });
 * console.log(graph.resources.length); // 0
 * ```
 */
export function withProcessEnv(graph: ResourceGraph, env: Record<string, string>): ResourceGraph {
  return {
    resources: graph.resources.map((resource) =>
      resource.kind === "store"
        ? resource
        : { ...resource, env: { ...resource.env, ...env } } satisfies ProcessResource
    ),
  };
}
