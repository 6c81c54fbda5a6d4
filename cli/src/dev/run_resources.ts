import { join } from "node:path";
import { NetScriptError } from "@netscript/contracts/errors";
import type { ProcessResource, ResourceGraph } from "@netscript/plugin";
import { eachLine } from "./each_line.ts";
import { findLauncher } from "./parent_death.ts";

/** The state of one resource, as `.netscript/dev/state.json` records it. */
export interface ResourceState {
  /** The resource name. */
  name: string;
  /** `store`, `service` or `processor`. */
  kind: string;
  /** The process id, while it runs. */
  pid: number | null;
  /** A service's port. */
  port: number | null;
  /** `starting`, `running`, `restarting`, `failed`, `stopping`, `stopped` (stores: `ready`). */
  state: string;
  /** How many times it was restarted after crashing. */
  restarts: number;
}

/** What the runner reports as it goes. */
export interface RunnerEvents {
  /** A line a resource printed. */
  line(resource: string, stream: "stdout" | "stderr", text: string): void;
  /** A resource changed state. */
  state(states: readonly ResourceState[], changed: ResourceState, message?: string): void;
}

/** Options of {@linkcode startResources}. */
export interface RunnerOptions {
  /** The workspace root. */
  root: string;
  /** The graph to run. */
  graph: ResourceGraph;
  /** Where events go. */
  events: RunnerEvents;
  /**
   * How long a service may take to answer `/health`.
   * @default {30000}
   */
  healthTimeoutMs?: number;
  /**
   * Crashes within `crashWindowMs` after which a resource is given up.
   * @default {5}
   */
  maxCrashes?: number;
  /**
   * The window for counting crashes.
   * @default {30000}
   */
  crashWindowMs?: number;
}

/** A running graph. */
export interface RunningResources {
  /** Every resource's state. */
  states(): readonly ResourceState[];
  /**
   * Restarts one process on purpose (its files changed): stops it, starts
   * it again and waits for a service's `/health`. Not counted as a crash;
   * brings back a process that was given up.
   */
  restart(name: string): Promise<void>;
  /** Stops every process in reverse order: SIGTERM, then SIGKILL after the grace period. */
  stop(): Promise<void>;
}

const STATE_FILE = ".netscript/dev/state.json";
const GRACE_MS = 5_000;

/**
 * Starts every process of the graph as its own `deno run` with exactly its
 * permission flags, in order, waiting for each service's `/health`; keeps
 * `.netscript/dev/state.json` current; restarts a process that exits with
 * exponential backoff, and gives up after repeated rapid crashes. On Linux
 * the children receive SIGTERM when the runner dies, however it dies.
 *
 * @param options The root, the graph and where to report.
 * @returns The running resources.
 * @throws {NetScriptError} `DEV_HEALTH_TIMEOUT` when a service never becomes healthy.
 */
export async function startResources(options: RunnerOptions): Promise<RunningResources> {
  const states: ResourceState[] = options.graph.resources.map((r) => ({
    name: r.name,
    kind: r.kind,
    pid: null,
    port: "port" in r && r.port !== undefined ? r.port : null,
    state: r.kind === "store" ? "ready" : "starting",
    restarts: 0,
  }));
  const children = new Map<string, Deno.ChildProcess>();
  const replacing = new Set<string>();
  let stopping = false;
  let written: Promise<void> = Promise.resolve();
  const update = async (name: string, changes: Partial<ResourceState>, message?: string) => {
    const state = states.find((s) => s.name === name)!;
    Object.assign(state, changes);
    const snapshot = JSON.stringify({ runner: Deno.pid, resources: states }, null, 2);
    written = written.then(() => _writeState(options.root, snapshot));
    await written;
    options.events.state(states, state, message);
  };

  const launcher = await findLauncher();
  const spawn = (resource: ProcessResource): Deno.ChildProcess => {
    const child = new Deno.Command(launcher.command, {
      args: [...launcher.prefix, "run", ...resource.flags, resource.entrypoint],
      cwd: options.root,
      clearEnv: true,
      env: { ..._baseEnv(), ..._passedThrough(resource.passEnv), ...resource.env },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    children.set(resource.name, child);
    // A killed process's pipes can end with an error; its exit is what the runner acts on.
    eachLine(child.stdout, (text) => options.events.line(resource.name, "stdout", text)).catch(
      () => {},
    );
    eachLine(child.stderr, (text) => options.events.line(resource.name, "stderr", text)).catch(
      () => {},
    );
    return child;
  };

  const supervise = (resource: ProcessResource, child: Deno.ChildProcess) => {
    const crashes: number[] = [];
    const watch = (current: Deno.ChildProcess) => {
      current.status.then(async (status) => {
        if (stopping || replacing.has(resource.name)) return;
        const now = Date.now();
        crashes.push(now);
        while (crashes.length > 0 && now - crashes[0]! > (options.crashWindowMs ?? 30_000)) {
          crashes.shift();
        }
        if (crashes.length >= (options.maxCrashes ?? 5)) {
          await update(
            resource.name,
            { state: "failed", pid: null },
            `${resource.name} crashed ${crashes.length} times within ${
              (options.crashWindowMs ?? 30_000) / 1000
            } s (last exit code ${status.code}); giving up on it, the others keep running`,
          );
          return;
        }
        const delay = Math.min(500 * 2 ** (crashes.length - 1), 10_000);
        await update(
          resource.name,
          { state: "restarting", pid: null },
          `${resource.name} exited with code ${status.code}; restarting in ${delay} ms`,
        );
        await new Promise((resolve) => setTimeout(resolve, delay));
        if (stopping) return;
        const next = spawn(resource);
        const state = states.find((s) => s.name === resource.name)!;
        await update(resource.name, {
          state: "running",
          pid: next.pid,
          restarts: state.restarts + 1,
        });
        watch(next);
      });
    };
    watch(child);
  };

  const healthTimeoutMs = options.healthTimeoutMs ?? 30_000;
  await stopLeftovers(options.root);
  await _writeState(options.root, JSON.stringify({ runner: Deno.pid, resources: states }, null, 2));
  const processes = options.graph.resources.filter((r): r is ProcessResource => r.kind !== "store");
  try {
    for (const resource of processes) {
      const child = spawn(resource);
      await update(resource.name, { state: "starting", pid: child.pid });
      if (resource.kind === "service" && resource.port !== undefined) {
        await _waitHealthy(resource, child, healthTimeoutMs);
      }
      await update(resource.name, { state: "running" });
      supervise(resource, child);
    }
  } catch (error) {
    stopping = true;
    await _stopAll([...children.entries()].reverse());
    for (const state of states) {
      if (state.kind !== "store") await update(state.name, { state: "stopped", pid: null });
    }
    throw error;
  }

  return {
    states: () => states,
    async restart(name) {
      const resource = processes.find((p) => p.name === name);
      const current = children.get(name);
      if (stopping || resource === undefined || replacing.has(name)) return;
      replacing.add(name);
      try {
        await update(
          name,
          { state: "restarting", pid: null },
          `${name}: files changed; restarting`,
        );
        if (current) await _stopAll([[name, current]]);
        const next = spawn(resource);
        await update(name, { state: "starting", pid: next.pid });
        if (resource.kind === "service" && resource.port !== undefined) {
          try {
            await _waitHealthy(resource, next, healthTimeoutMs);
          } catch (error) {
            await _stopAll([[name, next]]);
            await update(name, { state: "failed", pid: null }, (error as Error).message);
            return;
          }
        }
        await update(name, { state: "running" });
        supervise(resource, next);
      } finally {
        replacing.delete(name);
      }
    },
    async stop() {
      stopping = true;
      for (const resource of [...processes].reverse()) {
        const child = children.get(resource.name);
        if (!child) continue;
        await update(resource.name, { state: "stopping" });
        await _stopAll([[resource.name, child]]);
        await update(resource.name, { state: "stopped", pid: null });
      }
    },
  };
}

/**
 * Stops processes a previous runner left behind when it was killed before it
 * could stop them (its pid in `state.json` is gone but theirs are still
 * Deno processes).
 *
 * @param root The workspace root.
 * @returns The pids that were stopped.
 */
export async function stopLeftovers(root: string): Promise<number[]> {
  let previous: { runner?: number; resources?: { pid: number | null }[] };
  try {
    previous = JSON.parse(await Deno.readTextFile(join(root, STATE_FILE)));
  } catch {
    return [];
  }
  if (previous.runner === undefined || await _isDeno(previous.runner)) return [];
  const stopped: number[] = [];
  for (const { pid } of previous.resources ?? []) {
    if (pid === null || !(await _isDeno(pid))) continue;
    try {
      Deno.kill(pid, "SIGTERM");
      stopped.push(pid);
    } catch {
      // exited meanwhile
    }
  }
  const deadline = Date.now() + GRACE_MS;
  for (const pid of stopped) {
    while (await _isDeno(pid) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    if (await _isDeno(pid)) {
      try {
        Deno.kill(pid, "SIGKILL");
      } catch {
        // exited meanwhile
      }
    }
  }
  return stopped;
}

/**
 * Whether a pid belongs to a running (not zombie) Deno process, which guards
 * against reused pids. Asks `ps`: Deno reads /proc only with all permissions.
 */
async function _isDeno(pid: number): Promise<boolean> {
  const result = await new Deno.Command("ps", { args: ["-o", "stat=,comm=", "-p", String(pid)] })
    .output();
  const [state = "", command = ""] = new TextDecoder().decode(result.stdout).trim().split(/\s+/);
  return result.success && !state.startsWith("Z") && command === "deno";
}

async function _waitHealthy(
  resource: ProcessResource,
  child: Deno.ChildProcess,
  timeoutMs: number,
) {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  child.status.then(() => exited = true);
  while (Date.now() < deadline && !exited) {
    try {
      const response = await fetch(
        `http://127.0.0.1:${resource.port}${resource.health ?? "/health"}`,
      );
      await response.body?.cancel();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new NetScriptError(
    "DEV_HEALTH_TIMEOUT",
    exited
      ? `${resource.name} exited before answering ${resource.health} on port ${resource.port}; see its output above`
      : `${resource.name} did not answer ${resource.health} on port ${resource.port} within ${timeoutMs} ms`,
    { details: { resource: resource.name, port: resource.port } },
  );
}

async function _stopAll(children: [string, Deno.ChildProcess][]): Promise<void> {
  for (const [, child] of children) {
    try {
      child.kill("SIGTERM");
    } catch {
      continue;
    }
    const timer = setTimeout(() => {
      try {
        child.kill("SIGKILL");
      } catch {
        // already gone
      }
    }, GRACE_MS);
    await child.status;
    clearTimeout(timer);
  }
}

async function _writeState(root: string, text: string): Promise<void> {
  const file = join(root, STATE_FILE);
  await Deno.mkdir(join(root, ".netscript/dev"), { recursive: true });
  const temporary = `${file}.tmp-${crypto.randomUUID().slice(0, 8)}`;
  await Deno.writeTextFile(
    temporary,
    `${text}
`,
  );
  await Deno.rename(temporary, file);
}

/** The runner's own values of the variables a plugin declared it reads. */
function _passedThrough(names: readonly string[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const name of names) {
    const value = Deno.env.get(name);
    if (value !== undefined) values[name] = value;
  }
  return values;
}

function _baseEnv(): Record<string, string> {
  const keep: Record<string, string> = {};
  for (const name of ["PATH", "HOME", "DENO_DIR", "NO_COLOR", "TMPDIR"]) {
    const value = Deno.env.get(name);
    if (value !== undefined) keep[name] = value;
  }
  return keep;
}
