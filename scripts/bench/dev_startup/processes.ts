/**
 * Process helpers for the dev startup benchmark: resident memory, liveness,
 * the exact command line and environment of a running process, `/health`
 * probes, and a record of every process the benchmark caused so that it can
 * kill them all when it fails or is interrupted.
 *
 * @module
 */

/** How a process was started: what to pass to `deno` to start it again. */
export interface Launch {
  /** The arguments after the `deno` executable. */
  args: string[];
  /** The whole environment it was started with. */
  env: Record<string, string>;
}

const children = new Set<Deno.ChildProcess>();
const pids = new Set<number>();
const decoder = new TextDecoder();

/**
 * Remembers a child process so {@linkcode killEverything} can kill it.
 *
 * @param child The child process.
 * @returns The same child.
 */
export function track(child: Deno.ChildProcess): Deno.ChildProcess {
  children.add(child);
  child.status.finally(() => children.delete(child));
  return child;
}

/**
 * Remembers a process the benchmark did not spawn itself (a resource the
 * `netscript dev` runner started) so {@linkcode killEverything} can kill it.
 *
 * @param pid The process id.
 */
export function trackPid(pid: number): void {
  pids.add(pid);
}

/**
 * Kills, with SIGKILL, every tracked child and every tracked pid that still
 * runs, and waits for the children to exit.
 */
export async function killEverything(): Promise<void> {
  for (const child of children) _kill(() => child.kill("SIGKILL"));
  await Promise.all([...children].map((child) => child.status));
  for (const pid of pids) {
    if (await isRunning(pid)) killPid(pid);
  }
  pids.clear();
}

/**
 * Sends SIGKILL to a process, unless it has exited meanwhile.
 *
 * @param pid The process id.
 */
export function killPid(pid: number): void {
  _kill(() => Deno.kill(pid, "SIGKILL"));
}

function _kill(send: () => void): void {
  try {
    send();
  } catch {
    // exited meanwhile
  }
}

/**
 * Whether a process runs. A zombie (exited, not yet reaped) does not. Asks
 * `ps`, which works where `/proc` does not exist.
 *
 * @param pid The process id.
 * @returns `true` while the process runs.
 */
export async function isRunning(pid: number): Promise<boolean> {
  const out = await new Deno.Command("ps", { args: ["-o", "stat=", "-p", String(pid)] }).output();
  const state = decoder.decode(out.stdout).trim();
  return out.success && state !== "" && !state.startsWith("Z");
}

/** A process's resident memory. */
export interface Memory {
  /** Resident set size in KiB: every page it has in RAM, including pages shared with other processes. */
  rssKib: number;
  /** The part of it that is anonymous memory (heap, stacks), `RssAnon`; `null` where only `ps` answers. */
  privateKib: number | null;
}

/**
 * A process's resident memory, from `VmRSS` and `RssAnon` in Linux's
 * `/proc/<pid>/status`, or the resident set size from `ps -o rss=` where
 * `/proc` cannot be read.
 *
 * @param pid The process id.
 * @returns The resident memory.
 * @throws {Error} When neither source knows the process.
 */
export async function readMemory(pid: number): Promise<Memory> {
  try {
    const status = await Deno.readTextFile(`/proc/${pid}/status`);
    const field = (name: string) => status.match(new RegExp(`^${name}:\\s+(\\d+) kB$`, "m"))?.[1];
    const [rss, anon] = [field("VmRSS"), field("RssAnon")];
    if (rss !== undefined) return { rssKib: Number(rss), privateKib: anon ? Number(anon) : null };
  } catch {
    // no /proc here, or not readable: ask ps
  }
  const out = await new Deno.Command("ps", { args: ["-o", "rss=", "-p", String(pid)] }).output();
  const kib = Number(decoder.decode(out.stdout).trim());
  if (!out.success || !Number.isFinite(kib) || kib <= 0) {
    throw new Error(`Cannot read the resident memory of process ${pid}: it is not running`);
  }
  return { rssKib: kib, privateKib: null };
}

/**
 * Reads how a running `deno` process was started, from Linux's
 * `/proc/<pid>/cmdline` and `/proc/<pid>/environ`.
 *
 * @param pid The process id.
 * @returns Its arguments after the executable, and its environment.
 * @throws {Error} Where `/proc` cannot be read (not Linux).
 */
export async function readLaunch(pid: number): Promise<Launch> {
  try {
    const [, ...args] = _nulSeparated(await Deno.readFile(`/proc/${pid}/cmdline`));
    const environ = _nulSeparated(await Deno.readFile(`/proc/${pid}/environ`));
    if (args[0] !== "run") throw new Error("not a deno run process");
    const env = Object.fromEntries(environ.map((entry) => {
      const equals = entry.indexOf("=");
      return [entry.slice(0, equals), entry.slice(equals + 1)];
    }));
    return { args, env };
  } catch (error) {
    throw new Error(
      `Cannot read how process ${pid} was started from /proc/${pid}/cmdline and /proc/${pid}/environ (${
        (error as Error).message
      }); the raw baseline needs Linux and --allow-all`,
    );
  }
}

/** Splits `/proc`'s NUL-terminated strings; an empty string stays an (empty) element. */
function _nulSeparated(bytes: Uint8Array): string[] {
  const text = decoder.decode(bytes);
  return text === "" ? [] : text.replace(/\0$/, "").split("\0");
}

/**
 * Whether `http://127.0.0.1:<port>/health` answers 200.
 *
 * @param port The service's port.
 * @returns `true` on a 200 answer.
 */
export async function isHealthy(port: number): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/health`);
    await response.body?.cancel();
    return response.status === 200;
  } catch {
    return false;
  }
}

/**
 * Waits `ms` milliseconds.
 *
 * @param ms The delay.
 */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
