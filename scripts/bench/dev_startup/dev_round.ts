/**
 * One `netscript dev` round: spawns the CLI as a real process in the
 * workspace, times it until `.netscript/dev/state.json` shows every resource
 * `running` and every service answers `/health` with 200, reads each
 * process's memory and how it was started, then stops the runner with
 * SIGINT and checks that no resource process is left.
 *
 * @module
 */
import { join } from "node:path";
import { type ResourceState, STATE_FILE } from "../../../cli/src/dev/state_table.ts";
import { BENCH_RESOURCES } from "./plugin_packages.ts";
import {
  isHealthy,
  isRunning,
  killPid,
  type Memory,
  readLaunch,
  readMemory,
  sleep,
  track,
  trackPid,
} from "./processes.ts";
import {
  type ResourceLaunch,
  type RoundResult,
  type RunningResource,
  sampleMemory,
  SETTLE_MS,
  waitFor,
  withTimeout,
} from "./round.ts";
import { netscriptArgs } from "./workspace.ts";

/** A `netscript dev` round's result. */
export interface DevRoundResult extends RoundResult {
  /** Milliseconds from the spawn until the runner started its first resource (CLI start, registry, port checks). */
  firstSpawnMs: number;
  /** The runner's own resident memory. */
  runner: Memory;
  /** Milliseconds from SIGINT to the runner's exit (it stops every resource first). */
  stopMs: number;
  /** Resources whose process still ran after the runner exited (the benchmark killed them). */
  leftovers: string[];
  /** How the runner started each resource, for the raw baseline. */
  launches: ResourceLaunch[];
}

/**
 * Runs `netscript dev` once in `root` and measures it.
 *
 * @param root The workspace root.
 * @returns The round's timings, memory and launches.
 * @throws {Error} When the runner fails, a resource crashes, or a step times out.
 */
export async function runDevRound(root: string): Promise<DevRoundResult> {
  await Deno.remove(join(root, STATE_FILE)).catch(() => {});
  const started = performance.now();
  const dev = track(
    new Deno.Command(Deno.execPath(), {
      args: netscriptArgs("dev"),
      cwd: root,
      env: { NO_COLOR: "1" },
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).spawn(),
  );
  const stderr = new Response(dev.stderr).text();
  let exited = false;
  dev.status.then(() => exited = true);
  let firstSpawnMs: number | undefined;
  const resources = await waitFor("every resource running and every service healthy", async () => {
    if (exited) throw new Error(`netscript dev exited before every resource ran:\n${await stderr}`);
    const state = await _readState(root, dev.pid);
    if (state?.some((s) => s.pid !== null)) firstSpawnMs ??= performance.now() - started;
    return state && await _ready(state);
  });
  const startupMs = performance.now() - started;
  await sleep(SETTLE_MS);
  const memory = await sampleMemory(resources);
  const runner = await readMemory(dev.pid);
  const launches = await Promise.all(
    resources.map(async ({ pid, ...resource }) => ({ ...resource, launch: await readLaunch(pid) })),
  );
  const { stopMs, leftovers } = await _stop(dev, stderr, resources);
  return {
    startupMs,
    firstSpawnMs: firstSpawnMs!,
    memory,
    runner,
    stopMs,
    leftovers,
    launches,
  };
}

/** The process entries of the state file, once the runner `runner` wrote it. */
async function _readState(root: string, runner: number): Promise<ResourceState[] | undefined> {
  const state = await Deno.readTextFile(join(root, STATE_FILE)).then(JSON.parse, () => undefined);
  if (state?.runner !== runner) return undefined;
  const processes = (state.resources as ResourceState[]).filter((s) => s.kind !== "store");
  for (const { pid } of processes) if (pid !== null) trackPid(pid);
  _assertExpected(processes);
  return processes;
}

/** The running resources once every one runs and every service is healthy. */
async function _ready(processes: readonly ResourceState[]): Promise<RunningResource[] | undefined> {
  if (!processes.every((s) => s.state === "running" && s.pid !== null)) return undefined;
  const services = processes.filter((s) => s.kind === "service");
  const healthy = await Promise.all(services.map((s) => isHealthy(s.port!)));
  if (!healthy.every(Boolean)) return undefined;
  return processes.map(({ name, kind, pid, port }) => ({ name, kind, pid: pid!, port }));
}

function _assertExpected(processes: readonly ResourceState[]): void {
  const names = processes.map((s) => s.name);
  if ([...names].sort().join() !== [...BENCH_RESOURCES].sort().join()) {
    throw new Error(
      `netscript dev runs ${names.join(", ")}; the benchmark expects ${BENCH_RESOURCES.join(", ")}`,
    );
  }
  const restarted = processes.filter((s) => s.restarts > 0 || s.state === "failed");
  if (restarted.length > 0) {
    throw new Error(
      `${
        restarted.map((s) => s.name).join(", ")
      } crashed while starting; run netscript dev in the workspace to see why`,
    );
  }
}

async function _stop(
  dev: Deno.ChildProcess,
  stderr: Promise<string>,
  resources: readonly RunningResource[],
): Promise<{ stopMs: number; leftovers: string[] }> {
  const started = performance.now();
  dev.kill("SIGINT");
  const status = await withTimeout("netscript dev to exit after SIGINT", dev.status);
  const stopMs = performance.now() - started;
  if (status.code !== 0) {
    throw new Error(`netscript dev exited with code ${status.code} after SIGINT:\n${await stderr}`);
  }
  const leftovers: string[] = [];
  for (const resource of resources) {
    if (!(await isRunning(resource.pid))) continue;
    leftovers.push(resource.name);
    killPid(resource.pid);
  }
  return { stopMs, leftovers };
}
