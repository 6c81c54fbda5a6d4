/**
 * One raw baseline round: starts the same processes `netscript dev` started,
 * with the identical `deno run` arguments and environment, but directly and
 * all at once, and times them until every service answers `/health` with
 * 200. Processors count as started when spawned, as the runner counts them.
 *
 * @module
 */
import { isHealthy, sleep, track } from "./processes.ts";
import {
  type ResourceLaunch,
  type RoundResult,
  sampleMemory,
  SETTLE_MS,
  waitFor,
} from "./round.ts";

/** A directly started resource. */
interface RawProcess {
  resource: ResourceLaunch;
  child: Deno.ChildProcess;
  stderr: Promise<string>;
  exited: boolean;
}

/** How long a process may take to exit after SIGTERM before it gets SIGKILL. */
const GRACE_MS = 5_000;

/**
 * Starts every resource directly in `root`, measures, and stops them.
 *
 * @param root The workspace root.
 * @param launches How `netscript dev` started each resource.
 * @returns The round's startup time and memory.
 * @throws {Error} When a process exits early or a service never becomes healthy.
 */
export async function runRawRound(
  root: string,
  launches: readonly ResourceLaunch[],
): Promise<RoundResult> {
  const started = performance.now();
  const processes = launches.map((resource) => _spawn(root, resource));
  try {
    await waitFor("every service healthy", () => _allHealthy(processes));
    const startupMs = performance.now() - started;
    await sleep(SETTLE_MS);
    const memory = await sampleMemory(
      processes.map(({ resource, child }) => ({ ...resource, pid: child.pid })),
    );
    return { startupMs, memory };
  } finally {
    await Promise.all(processes.map(_stop));
  }
}

function _spawn(root: string, resource: ResourceLaunch): RawProcess {
  const child = track(
    new Deno.Command(Deno.execPath(), {
      args: resource.launch.args,
      cwd: root,
      clearEnv: true,
      env: resource.launch.env,
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).spawn(),
  );
  const process: RawProcess = {
    resource,
    child,
    stderr: new Response(child.stderr).text(),
    exited: false,
  };
  child.status.then(() => process.exited = true);
  return process;
}

async function _allHealthy(processes: readonly RawProcess[]): Promise<true | undefined> {
  const gone = processes.find((p) => p.exited);
  if (gone) {
    throw new Error(`${gone.resource.name} exited while starting:\n${await gone.stderr}`);
  }
  const services = processes.filter((p) => p.resource.port !== null);
  const healthy = await Promise.all(services.map((p) => isHealthy(p.resource.port!)));
  return healthy.every(Boolean) ? true : undefined;
}

async function _stop(process: RawProcess): Promise<void> {
  const kill = (signal: Deno.Signal) => {
    if (process.exited) return;
    try {
      process.child.kill(signal);
    } catch {
      // exited meanwhile
    }
  };
  kill("SIGTERM");
  const timer = setTimeout(() => kill("SIGKILL"), GRACE_MS);
  await process.child.status;
  clearTimeout(timer);
}
