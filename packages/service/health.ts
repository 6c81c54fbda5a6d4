import { storeUnavailableAnswer } from "./store_unavailable.ts";

/** A readiness check: resolves when the dependency is usable, throws (or returns `false`) when not. */
export type HealthCheck = (signal: AbortSignal) => Promise<boolean | void> | boolean | void;

/** The outcome of one readiness check, as reported by `GET /health`. */
export interface HealthCheckResult {
  /** The name the check was registered under. */
  name: string;
  /** `pass` when the check resolved, `fail` when it threw, returned `false` or timed out. */
  status: "pass" | "fail";
  /** How long the check took, in milliseconds. */
  durationMs: number;
  /**
   * Why the check failed. A store error (`STORE_UNAVAILABLE`,
   * `SCHEMA_MISSING`) is reported without the store's address.
   */
  error?: string;
}

/** The body of a `GET /health` response. */
export interface HealthReport {
  /** `pass` when every check passed. */
  status: "pass" | "fail";
  /** Every check's outcome, in registration order. */
  checks: HealthCheckResult[];
  /** The names of the checks that failed. */
  failing: string[];
}

/**
 * Runs every check concurrently, each bounded by `timeoutMs`.
 *
 * @param checks The checks by name.
 * @param timeoutMs How long one check may take before it counts as failed.
 * @returns The report; its `status` is `fail` when any check failed.
 */
export async function runHealthChecks(
  checks: Readonly<Record<string, HealthCheck>>,
  timeoutMs: number,
): Promise<HealthReport> {
  const results = await Promise.all(
    Object.entries(checks).map(([name, check]) => _runOne(name, check, timeoutMs)),
  );
  const failing = results.filter((result) => result.status === "fail").map((r) => r.name);
  return { status: failing.length === 0 ? "pass" : "fail", checks: results, failing };
}

async function _runOne(
  name: string,
  check: HealthCheck,
  timeoutMs: number,
): Promise<HealthCheckResult> {
  const started = performance.now();
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new Error(`timed out after ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    const outcome = await Promise.race([Promise.resolve(check(controller.signal)), timedOut]);
    const durationMs = Math.round(performance.now() - started);
    return outcome === false
      ? { name, status: "fail", durationMs, error: "the check returned false" }
      : { name, status: "pass", durationMs };
  } catch (error) {
    const durationMs = Math.round(performance.now() - started);
    return {
      name,
      status: "fail",
      durationMs,
      error: storeUnavailableAnswer(error)?.message ??
        (error instanceof Error ? error.message : String(error)),
    };
  } finally {
    clearTimeout(timer);
  }
}
