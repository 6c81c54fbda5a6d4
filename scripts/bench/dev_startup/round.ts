/**
 * What one measured start of the six resources yields, for both ways of
 * starting them, and the helpers both share.
 *
 * @module
 */
import { type Launch, type Memory, readMemory, sleep } from "./processes.ts";

/** One resource as the benchmark saw it running. */
export interface RunningResource {
  /** The resource name, e.g. `api` or `alpha-worker`. */
  name: string;
  /** `service` or `processor`. */
  kind: string;
  /** The process id. */
  pid: number;
  /** A service's port; `null` for a processor. */
  port: number | null;
}

/** One resource's resident memory. */
export interface MemorySample extends Memory {
  /** The resource name. */
  name: string;
  /** `service` or `processor`. */
  kind: string;
}

/** A resource and how its process was started, so that it can be started again directly. */
export interface ResourceLaunch {
  /** The resource name. */
  name: string;
  /** `service` or `processor`. */
  kind: string;
  /** A service's port; `null` for a processor. */
  port: number | null;
  /** Its `deno` arguments and environment. */
  launch: Launch;
}

/** The result of starting every resource once. */
export interface RoundResult {
  /** Milliseconds from the first spawn to every resource running and every service healthy. */
  startupMs: number;
  /** Each resource's resident memory, {@linkcode SETTLE_MS} after startup. */
  memory: MemorySample[];
}

/** How long to wait after startup before reading memory: the workers run their first job. */
export const SETTLE_MS = 1_500;

/** How often readiness is polled. */
export const POLL_MS = 20;

/** How long a start or a stop may take before the round fails. */
export const TIMEOUT_MS = 120_000;

/**
 * Polls `probe` every {@linkcode POLL_MS} until it returns a value.
 *
 * @param what What is awaited, for the timeout message.
 * @param probe Returns the value once ready; it may throw to fail at once.
 * @returns The value.
 * @throws {Error} After {@linkcode TIMEOUT_MS}.
 */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = performance.now() + TIMEOUT_MS;
  while (performance.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await sleep(POLL_MS);
  }
  throw new Error(`Timed out after ${TIMEOUT_MS / 1000} s waiting for ${what}`);
}

/**
 * Waits for a promise, at most {@linkcode TIMEOUT_MS}.
 *
 * @param what What is awaited, for the timeout message.
 * @param promise The promise.
 * @returns Its value.
 * @throws {Error} After {@linkcode TIMEOUT_MS}.
 */
export async function withTimeout<T>(what: string, promise: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`Timed out after ${TIMEOUT_MS / 1000} s waiting for ${what}`)),
      TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Reads the resident memory of every resource.
 *
 * @param resources The running resources.
 * @returns One sample per resource, in the same order.
 */
export async function sampleMemory(
  resources: readonly RunningResource[],
): Promise<MemorySample[]> {
  return await Promise.all(resources.map(async (r) => ({
    name: r.name,
    kind: r.kind,
    ...await readMemory(r.pid),
  })));
}
