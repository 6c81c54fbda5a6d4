/**
 * The workspace's service secret under `netscript dev`: every process of a
 * run receives the same `NETSCRIPT_SERVICE_SECRET`, from which the
 * processes make the service credentials a guarded service accepts.
 *
 * @module
 */
import { SERVICE_SECRET_VARIABLE, serviceSecretKey } from "@netscript/contracts/credential";
import type { ResourceGraph } from "@netscript/plugin";
import { withProcessEnv } from "./process_env.ts";

/**
 * Gives every process of the graph the workspace's service secret: the
 * runner's own `NETSCRIPT_SERVICE_SECRET` (from the environment or `.env`)
 * when it has one, else a random one for this run.
 *
 * @param graph The resource graph.
 * @param configured The runner's value of `NETSCRIPT_SERVICE_SECRET`, if any.
 * @returns The graph, each process's environment holding the secret.
 * @throws {NetScriptError} `SERVICE_SECRET_INVALID` for a configured secret shorter than 32 characters.
 *
 * @example
 * ```ts
 * import { withServiceSecret } from "./service_secret.ts";
 *
 * const graph = withServiceSecret({ resources: [] }, undefined);
 * console.log(graph.resources.length); // 0
 * ```
 */
export function withServiceSecret(
  graph: ResourceGraph,
  configured: string | undefined,
): ResourceGraph {
  const secret = serviceSecretKey(configured) === undefined
    ? Array.from(
      crypto.getRandomValues(new Uint8Array(32)),
      (byte) => byte.toString(16).padStart(2, "0"),
    ).join("")
    : configured!;
  return withProcessEnv(graph, { [SERVICE_SECRET_VARIABLE]: secret });
}
