import { NetScriptError } from "@netscript/contracts/errors";
import type { ProcessResource } from "@netscript/plugin";
import type { CliErrorCode } from "../cli_error_codes.ts";

/** Options of {@linkcode waitHealthy}. */
export interface WaitHealthyOptions {
  /**
   * How long the service may take to answer.
   * @default {30000}
   */
  timeoutMs?: number;
  /**
   * The pause between two attempts.
   * @default {100}
   */
  intervalMs?: number;
}

/**
 * Waits until a service answers its health path (`/health` unless it names
 * another) on `127.0.0.1` with a 2xx status. A request that hangs is cut off
 * at the deadline.
 *
 * @param resource The service; it must have a `port`.
 * @param child Its process: when it exits, waiting stops.
 * @param options The deadline and the pace.
 * @returns Resolves once the service answered.
 * @throws {TypeError} When the resource has no port.
 * @throws {NetScriptError} `DEV_HEALTH_TIMEOUT` when the process exits first or
 *   the deadline passes.
 * @example
 * ```ts
 * import type { ProcessResource } from "@netscript/plugin";
 * import { waitHealthy } from "./wait_healthy.ts";
 *
 * declare const api: ProcessResource;
 * const child = new Deno.Command(Deno.execPath(), { args: ["run", ...api.flags, api.entrypoint] })
 *   .spawn();
 * await waitHealthy(api, child, { timeoutMs: 10_000 });
 * ```
 */
export async function waitHealthy(
  resource: ProcessResource,
  child: Deno.ChildProcess,
  options: WaitHealthyOptions = {},
): Promise<void> {
  if (resource.port === undefined) {
    throw new TypeError(
      `Cannot wait for "${resource.name}" to answer: it has no port; only a service with a port has a health path`,
    );
  }
  const { timeoutMs = 30_000, intervalMs = 100 } = options;
  const path = resource.health ?? "/health";
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  child.status.then(() => exited = true);
  while (Date.now() < deadline && !exited) {
    if (await _answers(`http://127.0.0.1:${resource.port}${path}`, deadline)) return;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new NetScriptError<CliErrorCode>(
    "DEV_HEALTH_TIMEOUT",
    exited
      ? `${resource.name} exited before answering ${path} on port ${resource.port}; see its output above`
      : `${resource.name} did not answer ${path} on port ${resource.port} within ${timeoutMs} ms`,
    { details: { resource: resource.name, port: resource.port } },
  );
}

/** Whether `url` answers with a 2xx status before `deadline`. */
async function _answers(url: string, deadline: number): Promise<boolean> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), Math.max(0, deadline - Date.now()));
  try {
    const response = await fetch(url, { signal: abort.signal });
    await response.body?.cancel();
    return response.ok;
  } catch {
    // Not listening yet, or cut off at the deadline.
    return false;
  } finally {
    clearTimeout(timer);
  }
}
