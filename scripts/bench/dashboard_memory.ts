/**
 * Measures how much private memory the `netscript dev` dashboard and its
 * trace receiver add to the runner. It creates one workspace with the CLI
 * as a real process (`netscript init app --db sqlite --cache-backend
 * deno-kv --no-aspire --link <this checkout>`), then runs `netscript dev
 * --json --no-dashboard` and `netscript dev --json` in it, one after the
 * other. In each run, once the runner reports `ready`, it sends the app's
 * service the same 12,000 requests (enough for the dashboard to fill its
 * log store and its trace store to their caps), loads the dashboard's
 * pages a few times when there is one, waits 2 s, reads the runner
 * process's memory, and stops it with SIGINT. Linux only (it reads `/proc`).
 *
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { eachLine } from "../../cli/src/dev/each_line.ts";
import { CLI_PERMISSIONS } from "../../cli/src/framework.ts";
import { type ProcessMemory, readProcessMemory } from "./process_memory.ts";

/** The runner's memory without and with the dashboard, after the same traffic. */
export interface DashboardMemory {
  /** Requests sent to the app's service in each run. */
  requests: number;
  /** The route they were sent to (it answers 200, writes a log line and makes two spans). */
  route: string;
  /** The dashboard pages loaded in the run with the dashboard. */
  pages: string[];
  /** How many times each page was loaded. */
  pageLoads: number;
  /** Seconds after the traffic of the two readings: just after the load, and settled. */
  idleSeconds: { afterLoad: number; settled: number };
  /** The runner of `netscript dev --no-dashboard`. */
  withoutDashboard: RunnerMemory;
  /** The runner of `netscript dev`, serving the dashboard and receiving the spans. */
  withDashboard: RunnerMemory;
  /** The most private memory the dashboard may add, in KiB: the 15 MiB. */
  goalKib: number;
  /** Whether the difference in private memory is within `goalKib`, at each reading. */
  met: { afterLoad: boolean; settled: boolean };
}

/**
 * A runner's memory just after the traffic, while V8 still holds the
 * garbage of the burst, and once it has settled (V8 returns idle memory
 * some seconds after the allocations stop).
 */
export interface RunnerMemory {
  /** {@linkcode IDLE_AFTER_LOAD_MS} after the last request and page load. */
  afterLoad: ProcessMemory;
  /**
   * The lowest reading, taken every second until {@linkcode IDLE_SETTLED_MS}
   * after them: where V8 lands once it has returned what it no longer uses
   * (when it does so varies from run to run by seconds).
   */
  settled: ProcessMemory;
}

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url)).replace(/\/$/, "");
const REQUESTS = 12_000;
const CONCURRENCY = 10;
const ROUTE = "/api/notes";
const PAGES = ["/", "/logs", "/traces"];
const PAGE_LOADS = 3;
/** When the first reading is taken, after the traffic. */
const IDLE_AFTER_LOAD_MS = 2_000;
/** When the second is: V8's memory reducer has run by then on an idle process. */
const IDLE_SETTLED_MS = 30_000;
const READY_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 30_000;
const GOAL_KIB = 15 * 1024;

/** The runner while it runs, for {@linkcode killDevRunner}. */
let runner: Deno.ChildProcess | undefined;

/**
 * Creates the workspace in a temporary folder, measures the runner without
 * and with the dashboard, and removes the folder.
 *
 * @returns Both measurements and the verdict.
 * @throws {Error} When `netscript init` or a runner fails, a request is not
 * answered with 200, or a runner takes over 120 s to be ready.
 */
export async function measureDashboardMemory(): Promise<DashboardMemory> {
  const parent = await Deno.makeTempDir({ prefix: "netscript-dashboard-bench-" });
  try {
    const root = await _createWorkspace(parent);
    const withoutDashboard = await _measureRunner(root, false);
    const withDashboard = await _measureRunner(root, true);
    return {
      requests: REQUESTS,
      route: ROUTE,
      pages: PAGES,
      pageLoads: PAGE_LOADS,
      idleSeconds: { afterLoad: IDLE_AFTER_LOAD_MS / 1000, settled: IDLE_SETTLED_MS / 1000 },
      withoutDashboard,
      withDashboard,
      goalKib: GOAL_KIB,
      met: {
        afterLoad: withDashboard.afterLoad.privateKib - withoutDashboard.afterLoad.privateKib <=
          GOAL_KIB,
        settled: withDashboard.settled.privateKib - withoutDashboard.settled.privateKib <= GOAL_KIB,
      },
    };
  } finally {
    await Deno.remove(parent, { recursive: true });
  }
}

/** Kills the runner if one is running; for signal handlers (its processes end with it). */
export function killDevRunner(): void {
  try {
    runner?.kill("SIGKILL");
  } catch {
    // It has exited meanwhile.
  }
}

async function _createWorkspace(parent: string): Promise<string> {
  const init = await new Deno.Command(Deno.execPath(), {
    args: _cli(
      "init",
      "app",
      "--db",
      "sqlite",
      "--cache-backend",
      "deno-kv",
      "--no-aspire",
      "--link",
      REPO_ROOT,
    ),
    cwd: parent,
    env: { NO_COLOR: "1" },
    stdin: "null",
  }).output();
  if (!init.success) {
    throw new Error(`netscript init failed: ${new TextDecoder().decode(init.stderr)}`);
  }
  return join(parent, "app");
}

/** What the runner's `ready` event says, as far as it is used here. */
interface ReadyEvent {
  resources: { name: string; url?: string }[];
  dashboard?: string;
}

async function _measureRunner(root: string, dashboard: boolean): Promise<RunnerMemory> {
  const child = runner = new Deno.Command(Deno.execPath(), {
    args: _cli("dev", "--json", ...(dashboard ? [] : ["--no-dashboard"])),
    cwd: root,
    env: { NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  try {
    const ready = await _waitForReady(child, stderr);
    const service = ready.resources.find((resource) => resource.name === "api")?.url;
    if (service === undefined) throw new Error("netscript dev reported no url for the api service");
    await _drive(`${service}${ROUTE}`);
    for (let load = 0; load < PAGE_LOADS && ready.dashboard !== undefined; load++) {
      for (const page of PAGES) await _get(`${ready.dashboard}${page}`);
    }
    const idle = Date.now();
    await _sleep(IDLE_AFTER_LOAD_MS);
    const afterLoad = await readProcessMemory(child.pid);
    let settled = afterLoad;
    while (Date.now() - idle < IDLE_SETTLED_MS) {
      await _sleep(1_000);
      const reading = await readProcessMemory(child.pid);
      if (reading.privateKib < settled.privateKib) settled = reading;
    }
    await _stop(child, stderr);
    return { afterLoad, settled };
  } finally {
    killDevRunner();
    runner = undefined;
  }
}

/** Reads the runner's JSON events until `ready`, then keeps draining its stdout. */
async function _waitForReady(
  child: Deno.ChildProcess,
  stderr: Promise<string>,
): Promise<ReadyEvent> {
  const { promise, resolve, reject } = Promise.withResolvers<ReadyEvent>();
  let waiting = true;
  eachLine(child.stdout, (line) => {
    if (!waiting || !line.includes('"ready"')) return;
    const event = JSON.parse(line);
    if (event.event !== "ready") return;
    waiting = false;
    resolve(event);
  }).then(async () => {
    if (waiting) reject(new Error(`netscript dev exited before it was ready:\n${await stderr}`));
  });
  const timer = setTimeout(
    () => reject(new Error(`netscript dev was not ready within ${READY_TIMEOUT_MS / 1000} s`)),
    READY_TIMEOUT_MS,
  );
  try {
    return await promise;
  } finally {
    clearTimeout(timer);
  }
}

/** Sends {@linkcode REQUESTS} GET requests over {@linkcode CONCURRENCY} connections. */
async function _drive(url: string): Promise<void> {
  let sent = 0;
  const send = async () => {
    while (sent < REQUESTS) {
      sent++;
      await _get(url);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, send));
}

async function _get(url: string): Promise<void> {
  const response = await fetch(url);
  await response.arrayBuffer();
  if (response.status !== 200) {
    throw new Error(`GET ${url} answered ${response.status}; the benchmark expects 200`);
  }
}

async function _stop(child: Deno.ChildProcess, stderr: Promise<string>): Promise<void> {
  child.kill("SIGINT");
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hung = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), STOP_TIMEOUT_MS);
  });
  const status = await Promise.race([child.status, hung]);
  clearTimeout(timer);
  if (status === undefined) {
    throw new Error(`netscript dev did not stop within ${STOP_TIMEOUT_MS / 1000} s of SIGINT`);
  }
  if (status.code !== 0) {
    throw new Error(`netscript dev exited with code ${status.code} after SIGINT:\n${await stderr}`);
  }
}

function _sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

function _cli(...args: string[]): string[] {
  return ["run", "--quiet", ...CLI_PERMISSIONS, `${REPO_ROOT}/cli/main.ts`, ...args];
}
