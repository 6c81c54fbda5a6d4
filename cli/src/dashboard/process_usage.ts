/**
 * CPU and memory use of the processes `netscript dev` runs, for the
 * dashboard. On Linux they are read from `/proc/<pid>/stat` by one `cat`
 * per sample (Deno lets a program read `/proc` itself only with
 * `--allow-all`, and the CLI runs without it; it may run programs), with
 * the clock tick rate and page size from `getconf`; on other systems they
 * are not measured.
 *
 * @module
 */

/** What one process uses. `null` where it is not known. */
export interface ProcessUsage {
  /**
   * CPU time used since the previous sample, as a percentage of the wall
   * time between them (100 is one core busy the whole time; a process with
   * several busy threads can exceed it). `null` on a process's first sample.
   */
  readonly cpuPercent: number | null;
  /** Resident memory in bytes. */
  readonly memoryBytes: number | null;
}

/** Measures processes, remembering each one's CPU time between samples. */
export interface UsageSampler {
  /**
   * Measures the given processes. On Linux, a process that has exited (gone,
   * or a zombie) is left out of the result; elsewhere every pid is in it
   * with `null`s.
   *
   * @param pids The processes.
   * @returns Each running process's usage, by pid.
   */
  sample(pids: readonly number[]): Promise<Map<number, ProcessUsage>>;
}

/** What a process had used at its last sample. */
interface CpuReading {
  /** When the process started, in clock ticks after boot: tells a reused pid apart. */
  readonly startTicks: string;
  /** User and system CPU time, in clock ticks. */
  readonly cpuTicks: number;
  /** When it was read, from `performance.now()`. */
  readonly at: number;
}

/** The clock tick rate and page size assumed when `getconf` cannot tell: Linux's usual ones. */
const FALLBACK_SYSTEM = { ticksPerSecond: 100, pageBytes: 4096 } as const;

const UNKNOWN: ProcessUsage = { cpuPercent: null, memoryBytes: null };

/**
 * Creates a sampler. The CPU share of a process is measured between two
 * calls of `sample` that both include it; a pid left out of a call is
 * forgotten.
 *
 * @param os The operating system, which decides whether processes can be
 *   measured (Linux) or every figure is `null`.
 * @default {the one this runs on}
 * @returns The sampler.
 * @example
 * ```ts
 * import { createUsageSampler } from "./process_usage.ts";
 *
 * const sampler = createUsageSampler();
 * await sampler.sample([Deno.pid]); // CPU share unknown: first sample
 * await new Promise((resolve) => setTimeout(resolve, 1_000));
 * const usage = (await sampler.sample([Deno.pid])).get(Deno.pid);
 * console.log(usage?.cpuPercent, usage?.memoryBytes);
 * ```
 */
export function createUsageSampler(os: typeof Deno.build.os = Deno.build.os): UsageSampler {
  if (os !== "linux") {
    return { sample: (pids) => Promise.resolve(new Map(pids.map((pid) => [pid, UNKNOWN]))) };
  }
  let system: Promise<{ ticksPerSecond: number; pageBytes: number }> | undefined;
  let previous = new Map<number, CpuReading>();
  return {
    async sample(pids) {
      system ??= _system();
      const { ticksPerSecond, pageBytes } = await system;
      const stats = await _readStats(pids);
      const at = performance.now();
      const usage = new Map<number, ProcessUsage>();
      const next = new Map<number, CpuReading>();
      for (const pid of pids) {
        const reading = _parseStat(stats.get(pid), at, pageBytes);
        if (reading === undefined) continue;
        const before = previous.get(pid);
        const seconds = before ? (reading.cpu.at - before.at) / 1_000 : 0;
        const cpuPercent = before?.startTicks === reading.cpu.startTicks && seconds > 0
          ? (reading.cpu.cpuTicks - before.cpuTicks) / ticksPerSecond / seconds * 100
          : null;
        usage.set(pid, { cpuPercent, memoryBytes: reading.memoryBytes });
        next.set(pid, reading.cpu);
      }
      previous = next;
      return usage;
    },
  };
}

/** Reads `/proc/<pid>/stat` of every pid with one `cat`; a process that is gone is absent. */
async function _readStats(pids: readonly number[]): Promise<Map<number, string>> {
  if (pids.length === 0) return new Map();
  const { stdout } = await new Deno.Command("cat", {
    args: pids.map((pid) => `/proc/${pid}/stat`),
    stdin: "null",
    stdout: "piped",
    stderr: "null",
  }).output();
  const stats = new Map<number, string>();
  for (const line of new TextDecoder().decode(stdout).split("\n")) {
    const pid = Number(line.slice(0, line.indexOf(" ")));
    if (Number.isInteger(pid) && pid > 0) stats.set(pid, line);
  }
  return stats;
}

/** A process's CPU time and resident memory from its stat line, or `undefined` when it has exited. */
function _parseStat(
  stat: string | undefined,
  at: number,
  pageBytes: number,
): { cpu: CpuReading; memoryBytes: number } | undefined {
  if (stat === undefined) return undefined;
  // The name, in parentheses, may hold spaces and parentheses: the fields
  // after it start at the last ")". Counting from 1 in proc(5), field 3 is the
  // state, 14 and 15 utime and stime, 22 the start time, 24 the resident pages.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const state = fields[0];
  if (state === "Z" || state === "X") return undefined;
  return {
    cpu: {
      startTicks: fields[19] ?? "",
      cpuTicks: Number(fields[11]) + Number(fields[12]),
      at,
    },
    memoryBytes: Number(fields[21]) * pageBytes,
  };
}

/** The clock tick rate and page size from `getconf`, else {@linkcode FALLBACK_SYSTEM}. */
async function _system(): Promise<{ ticksPerSecond: number; pageBytes: number }> {
  const [ticksPerSecond, pageBytes] = await Promise.all([
    _getconf("CLK_TCK", FALLBACK_SYSTEM.ticksPerSecond),
    _getconf("PAGESIZE", FALLBACK_SYSTEM.pageBytes),
  ]);
  return { ticksPerSecond, pageBytes };
}

/** A positive integer `getconf` prints for `name`, else `fallback`. */
async function _getconf(name: string, fallback: number): Promise<number> {
  try {
    const { success, stdout } = await new Deno.Command("getconf", {
      args: [name],
      stdin: "null",
      stdout: "piped",
      stderr: "null",
    }).output();
    const value = Number(new TextDecoder().decode(stdout).trim());
    return success && Number.isInteger(value) && value > 0 ? value : fallback;
  } catch {
    // No `getconf` here, or no permission to run it.
    return fallback;
  }
}
