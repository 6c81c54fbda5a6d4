import { NetScriptError } from "@netscript/contracts/errors";
import type { ProcessResource } from "@netscript/plugin";
import type { CliErrorCode } from "../cli_error_codes.ts";
import {
  type FailingSince,
  healthFailureFix,
  type HealthProbe,
  judgeHealthProbe,
  summarizeHealthFailure,
} from "./health_failure.ts";

/** Options of {@linkcode waitHealthy}. */
export interface WaitHealthyOptions {
  /**
   * How long the service may take to answer.
   * @default {30000}
   */
  timeoutMs?: number;
  /**
   * The pause between two attempts while the service does not answer yet
   * (each attempt is one refused connection, so a short pause costs little
   * and the service counts as up soon after it listens).
   * @default {25}
   */
  intervalMs?: number;
  /**
   * How long the service may answer with the same failing check before it
   * counts as failed.
   * @default {3000}
   */
  failAfterMs?: number;
  /**
   * The pause between two attempts while the service answers with a
   * failure: slower, since each one adds a line to its log.
   * @default {1000}
   */
  failingIntervalMs?: number;
}

/**
 * Waits until a service answers its health path (`/health` unless it names
 * another) on `127.0.0.1` with a 2xx status. A request that hangs is cut off
 * at the deadline. A service that answers, but with the same failing check
 * for `failAfterMs`, is not waited for any longer: its database will not
 * appear by itself.
 *
 * @param resource The service; it must have a `port`.
 * @param child Its process: when it exits, waiting stops.
 * @param options The deadline and the pace.
 * @returns Resolves once the service answered.
 * @throws {TypeError} When the resource has no port.
 * @throws {NetScriptError} `DEV_HEALTH_FAILED` naming the failing check and
 *   its fix; `DEV_HEALTH_TIMEOUT` when the process exits first or the
 *   deadline passes.
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
  const { timeoutMs = 30_000, intervalMs = 25, failAfterMs = 3_000, failingIntervalMs = 1_000 } =
    options;
  const path = resource.health ?? "/health";
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  child.status.then(() => exited = true);
  let failing: FailingSince | undefined;
  let status = 0;
  while (Date.now() < deadline && !exited) {
    const probe = await _probe(`http://127.0.0.1:${resource.port}${path}`, deadline);
    if (probe.kind === "failing") status = probe.status;
    const verdict = judgeHealthProbe(failing, probe, { now: Date.now(), failAfterMs });
    if (verdict.action === "healthy") return;
    if (verdict.action === "fail") {
      throw new NetScriptError<CliErrorCode>(
        "DEV_HEALTH_FAILED",
        `${resource.name} answers ${path} on port ${resource.port} with ${status} (${verdict.failure}); ${
          healthFailureFix(verdict.failure)
        }`,
        {
          details: {
            resource: resource.name,
            port: resource.port,
            status,
            failure: verdict.failure,
          },
        },
      );
    }
    failing = verdict.failing;
    await new Promise((resolve) =>
      setTimeout(resolve, failing === undefined ? intervalMs : failingIntervalMs)
    );
  }
  throw new NetScriptError<CliErrorCode>(
    "DEV_HEALTH_TIMEOUT",
    exited
      ? `${resource.name} exited before answering ${path} on port ${resource.port}; see its output above`
      : `${resource.name} did not answer ${path} on port ${resource.port} within ${timeoutMs} ms${
        failing ? ` (it answers ${status}: ${failing.failure})` : ""
      }`,
    { details: { resource: resource.name, port: resource.port } },
  );
}

/** Asks `url` once, giving up at `deadline`. */
async function _probe(url: string, deadline: number): Promise<HealthProbe> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), Math.max(0, deadline - Date.now()));
  try {
    const response = await fetch(url, { signal: abort.signal });
    if (response.ok) {
      await response.body?.cancel();
      return { kind: "healthy" };
    }
    const body = await response.text();
    return {
      kind: "failing",
      status: response.status,
      failure: summarizeHealthFailure(response.status, body),
    };
  } catch {
    // Not listening yet, or cut off at the deadline.
    return { kind: "unreachable" };
  } finally {
    clearTimeout(timer);
  }
}
