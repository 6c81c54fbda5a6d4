import type { ProcessResource } from "@netscript/plugin";
import { applyCrashPolicy, type CrashPolicyOptions } from "./crash_policy.ts";
import type { ResourceState } from "./state_table.ts";
import { stopProcess } from "./stop_process.ts";
import { waitHealthy } from "./wait_healthy.ts";

/** Options of {@linkcode superviseProcess}. */
export interface SuperviseProcessOptions {
  /** Starts the process: for the first start and for every restart. */
  spawn(): Deno.ChildProcess;
  /** Reports a change of the resource's state; the supervisor waits for it. */
  update(changes: Partial<ResourceState>, message?: string): Promise<void>;
  /**
   * Once aborted, a crashed process is not restarted, a pending restart is
   * cancelled and {@linkcode ProcessSupervisor.restart} does nothing.
   * @default {never aborted}
   */
  signal?: AbortSignal;
  /**
   * How long a service may take to answer its health path.
   * @default {30000}
   */
  healthTimeoutMs?: number;
  /**
   * How long the process may take to exit after SIGTERM before it gets SIGKILL.
   * @default {5000}
   */
  graceMs?: number;
  /**
   * When to restart after a crash, and when to give up.
   * @default {the defaults of applyCrashPolicy}
   */
  crashPolicy?: CrashPolicyOptions;
}

/** One process of the graph under supervision. */
export interface ProcessSupervisor {
  /** The current process, or the last one; `undefined` before the first start. */
  readonly child: Deno.ChildProcess | undefined;
  /**
   * Starts the process, reports `starting`, waits for a service's health,
   * reports `running` and from then on restarts it when it crashes.
   *
   * @throws {NetScriptError} `DEV_HEALTH_TIMEOUT` when a service never
   *   becomes healthy; the process has been stopped by then.
   */
  start(): Promise<void>;
  /**
   * Restarts the process on purpose (its files changed, or a user asked):
   * not counted as a crash, and brings back a process that was given up or
   * paused. A service that then never becomes healthy is stopped and
   * reported `failed`.
   *
   * @param reason Said in the state message.
   * @default {"files changed"}
   */
  restart(reason?: string): Promise<void>;
  /**
   * Stops the process on request and keeps it stopped (not restarted, not
   * counted as a crash) until {@linkcode ProcessSupervisor.restart}.
   */
  pause(): Promise<void>;
  /** Stops restarting it, and stops it: SIGTERM, then SIGKILL after the grace. */
  stop(): Promise<void>;
}

/**
 * Puts one service or processor under supervision: started by
 * {@linkcode ProcessSupervisor.start}, restarted with backoff when it exits
 * (it was not asked to), given up after repeated rapid crashes (see
 * `applyCrashPolicy`), restarted on request, stopped in order.
 *
 * @param resource The service or processor.
 * @param options How to start it, where to report, and its limits.
 * @returns The supervisor; nothing runs until `start()`.
 * @example
 * ```ts
 * import type { ProcessResource } from "@netscript/plugin";
 * import { findLauncher } from "./parent_death.ts";
 * import { spawnResource } from "./spawn_resource.ts";
 * import { superviseProcess } from "./supervise_process.ts";
 *
 * declare const ticker: ProcessResource;
 * const launcher = await findLauncher();
 * const supervisor = superviseProcess(ticker, {
 *   spawn: () => spawnResource(ticker, { root: Deno.cwd(), launcher, onLine: console.log }).child,
 *   update: async (changes, message) => console.log(changes, message ?? ""),
 * });
 * await supervisor.start();
 * await supervisor.stop();
 * ```
 */
export function superviseProcess(
  resource: ProcessResource,
  options: SuperviseProcessOptions,
): ProcessSupervisor {
  const { name } = resource;
  const { signal, healthTimeoutMs = 30_000, graceMs = 5_000, crashPolicy = {} } = options;
  let child: Deno.ChildProcess | undefined;
  let stopped = false;
  let replacing = false;
  let paused = false;
  let restarts = 0;
  let cancelBackoff: (() => void) | undefined;
  const ended = () => stopped || signal?.aborted === true;
  signal?.addEventListener("abort", () => cancelBackoff?.(), { once: true });

  /** Waits `ms`; resolves `false` when cancelled first. */
  const backoff = (ms: number) =>
    new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        cancelBackoff = undefined;
        resolve(true);
      }, ms);
      cancelBackoff = () => {
        clearTimeout(timer);
        cancelBackoff = undefined;
        resolve(false);
      };
    });

  /** Restarts `current` with backoff when it exits unasked, until the policy gives up. */
  const watch = (current: Deno.ChildProcess, crashes: readonly number[]) => {
    current.status.then(async (status) => {
      if (ended() || replacing || paused || current !== child) return;
      const decision = applyCrashPolicy(crashes, Date.now(), crashPolicy);
      if (decision.action === "give-up") {
        await options.update(
          { state: "failed", pid: null },
          `${name} crashed ${decision.crashes.length} times within ${
            decision.crashWindowMs / 1000
          } s (last exit code ${status.code}); giving up on it, the others keep running`,
        );
        return;
      }
      await options.update(
        { state: "restarting", pid: null },
        `${name} exited with code ${status.code}; restarting in ${decision.delayMs} ms`,
      );
      if (ended() || replacing || paused || !(await backoff(decision.delayMs))) return;
      const next = child = options.spawn();
      restarts += 1;
      await options.update({ state: "running", pid: next.pid, restarts });
      watch(next, decision.crashes);
    });
  };

  /** Starts a fresh process and watches it once it is healthy; else stops it and says why. */
  const launch = async (): Promise<Error | undefined> => {
    const next = child = options.spawn();
    await options.update({ state: "starting", pid: next.pid });
    if (resource.kind === "service" && resource.port !== undefined) {
      try {
        await waitHealthy(resource, next, { timeoutMs: healthTimeoutMs });
      } catch (error) {
        await stopProcess(next, { graceMs });
        return error as Error;
      }
    }
    await options.update({ state: "running" });
    watch(next, []);
    return undefined;
  };

  return {
    get child() {
      return child;
    },
    async start() {
      const unhealthy = await launch();
      if (unhealthy) throw unhealthy;
    },
    async restart(reason = "files changed") {
      if (ended() || replacing) return;
      replacing = true;
      paused = false;
      cancelBackoff?.();
      try {
        await options.update({ state: "restarting", pid: null }, `${name}: ${reason}; restarting`);
        if (child) await stopProcess(child, { graceMs });
        if (ended()) return;
        const unhealthy = await launch();
        if (unhealthy && !ended()) {
          await options.update({ state: "failed", pid: null }, unhealthy.message);
        }
      } finally {
        replacing = false;
      }
    },
    async pause() {
      if (ended() || paused) return;
      paused = true;
      cancelBackoff?.();
      await options.update({ state: "stopping" });
      if (child) await stopProcess(child, { graceMs });
      await options.update({ state: "stopped", pid: null }, `${name}: stopped on request`);
    },
    async stop() {
      stopped = true;
      cancelBackoff?.();
      if (child) await stopProcess(child, { graceMs });
    },
  };
}
