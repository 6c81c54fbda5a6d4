/**
 * The benchmark's side of a child process: spawns a system module as a
 * producer or worker, sends it requests and awaits the replies, keeps its
 * latest progress, and collects its other stderr lines. Every child is
 * tracked so that the benchmark can kill them all when it fails or is
 * interrupted.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { BENCH_LOCK } from "../bench_packages.ts";
import { readProcessCpuSeconds } from "../process_cpu.ts";
import {
  type ChildMessage,
  type Command,
  MESSAGE_PREFIX,
  type Progress,
  readLines,
  type Replies,
} from "./protocol.ts";
import type { SystemSpec } from "./system.ts";

/** What a child is spawned to do. */
export interface ChildRole {
  /** Producer or worker. */
  role: "producer" | "worker";
  /** The store: a database URL or a KV file path. */
  location: string;
  /** Jobs a worker runs at once. */
  concurrency?: number;
}

const CONFIG_PATH = fileURLToPath(new URL("../../../deno.json", import.meta.url));
const READY_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 30_000;
const running = new Set<Deno.ChildProcess>();
let killed = false;
const encoder = new TextEncoder();

/** A running child process of one system. */
export class BenchChild {
  /** The latest progress a worker child reported. */
  progress: Progress = { drained: 0, latency: 0, firstStartAt: null };
  /** Stderr lines that were not messages: library warnings and errors. */
  readonly otherLines: string[] = [];
  readonly #process: Deno.ChildProcess;
  readonly #stdin: WritableStreamDefaultWriter<Uint8Array>;
  readonly #pending = new Map<number, PromiseWithResolvers<unknown>>();
  readonly #ready = Promise.withResolvers<void>();
  readonly #label: string;
  #changed = Promise.withResolvers<void>();
  #nextId = 1;
  #exit: Deno.CommandStatus | undefined;

  private constructor(process: Deno.ChildProcess, label: string) {
    this.#process = process;
    this.#label = label;
    this.#stdin = process.stdin.getWriter();
    // The exit is handled once stderr is read to its end, so that a reply the
    // child wrote just before exiting still reaches its request.
    Promise.all([process.status, this.#read(process.stderr)]).then(([status]) => {
      this.#exit = status;
      running.delete(process);
      this.#changed.resolve();
      const error = new Error(`${label} exited with code ${status.code}${this.#tail()}`);
      this.#ready.reject(error);
      for (const pending of this.#pending.values()) pending.reject(error);
      this.#pending.clear();
    });
  }

  /**
   * Spawns a system module as a child and waits until it says it is ready.
   *
   * @param system The system.
   * @param role What the child does, and where the store is.
   * @returns The ready child.
   */
  static async spawn(system: SystemSpec, role: ChildRole): Promise<BenchChild> {
    if (killed) throw new Error("The benchmark is stopping; no more processes start");
    const process = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-all",
        "--no-prompt",
        `--config=${CONFIG_PATH}`,
        ...(system.benchLock ? [`--lock=${BENCH_LOCK}`] : []),
        fileURLToPath(system.module),
        `--role=${role.role}`,
        `--location=${role.location}`,
        `--variant=${system.variant}`,
        `--concurrency=${role.concurrency ?? 1}`,
      ],
      env: { NO_COLOR: "1" },
      stdin: "piped",
      stdout: "null",
      stderr: "piped",
    }).spawn();
    running.add(process);
    const child = new BenchChild(process, `${system.label} ${role.role} (pid ${process.pid})`);
    await _within(child.#ready.promise, READY_TIMEOUT_MS, `${child.#label} did not start`);
    return child;
  }

  /** The child's process id. */
  get pid(): number {
    return this.#process.pid;
  }

  /** Whether the child has exited. */
  get exited(): boolean {
    return this.#exit !== undefined;
  }

  /**
   * Resolves at the child's next progress report, or when it exits.
   *
   * @returns A promise of the next change.
   */
  changed(): Promise<void> {
    return this.#changed.promise;
  }

  /**
   * Sends a command and waits for its answer.
   *
   * @param command The command.
   * @returns The child's answer.
   */
  async request<T extends Command["type"]>(
    command: Extract<Command, { type: T }>,
  ): Promise<Replies[T]> {
    if (this.#exit) throw new Error(`${this.#label} has exited${this.#tail()}`);
    const id = this.#nextId++;
    const reply = Promise.withResolvers<unknown>();
    this.#pending.set(id, reply);
    await this.#stdin.write(encoder.encode(`${JSON.stringify({ id, command })}\n`));
    return await reply.promise as Replies[T];
  }

  /**
   * The CPU seconds the child has used so far.
   *
   * @returns The seconds, or `undefined` off Linux.
   */
  cpuSeconds(): Promise<number | undefined> {
    return readProcessCpuSeconds(this.#process.pid);
  }

  /**
   * Asks the child to stop, waits for its answer and its exit, and kills it
   * if it does not exit in time.
   *
   * @returns Its answer to `stop`, or `undefined` when it had to be killed.
   */
  async stop(): Promise<Replies["stop"] | undefined> {
    if (this.#exit) return undefined;
    try {
      return await _within(this.request({ type: "stop" }), STOP_TIMEOUT_MS, "stop timed out");
    } catch {
      return undefined;
    } finally {
      await _within(this.#process.status, STOP_TIMEOUT_MS, "exit timed out").catch(() =>
        _kill(this.#process)
      );
      await this.#process.status;
    }
  }

  async #read(stderr: ReadableStream<Uint8Array>): Promise<void> {
    for await (const line of readLines(stderr)) {
      if (!line.startsWith(MESSAGE_PREFIX)) {
        if (line.trim() !== "") this.otherLines.push(line);
        continue;
      }
      const message = _parse(line);
      if (message === undefined) this.otherLines.push(line);
      else if (message.kind === "ready") this.#ready.resolve();
      else if (message.kind === "progress") {
        this.progress = message.progress;
        this.#changed.resolve();
        this.#changed = Promise.withResolvers();
      } else {
        const pending = this.#pending.get(message.id);
        this.#pending.delete(message.id);
        if (message.ok) pending?.resolve(message.value);
        else pending?.reject(new Error(`${this.#label}: ${message.error}`));
      }
    }
  }

  #tail(): string {
    const lines = this.otherLines.slice(-20);
    return lines.length === 0 ? "" : `; its last stderr lines:\n${lines.join("\n")}`;
  }
}

/**
 * Kills every child still running, at once, and refuses to start more; for
 * signal handlers. Whatever waits on a child then fails, so the run unwinds
 * and removes its stores.
 */
export function killAllChildren(): void {
  killed = true;
  for (const process of running) _kill(process);
  running.clear();
}

function _parse(line: string): ChildMessage | undefined {
  try {
    return JSON.parse(line.slice(MESSAGE_PREFIX.length)) as ChildMessage;
  } catch {
    return undefined;
  }
}

function _kill(process: Deno.ChildProcess): void {
  try {
    process.kill("SIGKILL");
  } catch (error) {
    // A TypeError means the child has already exited, which is what was wanted.
    if (!(error instanceof TypeError)) throw error;
  }
}

/**
 * Resolves with `promise`, or rejects when it takes longer than `ms`.
 *
 * @param promise What to wait for.
 * @param ms The longest wait.
 * @param message The error message on timeout.
 * @returns What `promise` resolved with.
 */
function _within<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${message} within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
