/**
 * Measures one workload of one system in a child process of its own: the
 * child warms up and closes the system; the benchmark waits until every
 * connection to the database is gone (each backend reports its statistics
 * as it exits) and reads the counters; the child opens the system again
 * and runs the measured sagas; the benchmark waits for its connections to
 * go again and reads the counters once more. Children are tracked, so the
 * benchmark can kill them all when it fails or is interrupted.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { BENCH_LOCK } from "../bench_packages.ts";
import { readLines } from "../workers/protocol.ts";
import type { Workload } from "./options.ts";
import { type ChildMessage, type ChildRun, GO, MESSAGE_PREFIX } from "./protocol.ts";
import type { DatabaseCounters, SagaBenchStore } from "./stores.ts";
import type { SystemSpec } from "./system.ts";

/** One workload of one system, as measured. */
export interface CellMeasurement extends Workload {
  /** What the child measured. */
  run: ChildRun;
  /**
   * Transaction ids taken between the two readings, less the one the
   * reading itself takes: write transactions on the whole server, or
   * `null` off PostgreSQL. Covers the system's second launch and its
   * close as well as the measured sagas.
   */
  writeTransactions: number | null;
  /** `xact_commit` of the database between the two readings (same span), or `null`. */
  committedTransactions: number | null;
  /** Rows inserted, updated or deleted in the database between the two readings, or `null`. */
  rowsWritten: number | null;
}

const CONFIG_PATH = fileURLToPath(new URL("../../../deno.json", import.meta.url));
const CHILD_TIMEOUT_MS = 600_000;
const running = new Set<Deno.ChildProcess>();
let killed = false;

/**
 * Measures one workload of one system on its store.
 *
 * @param system The system.
 * @param store Its store.
 * @param workload The workload.
 * @returns The measurement.
 * @throws {Error} When the child fails, exits early or takes too long.
 */
export async function measureWorkload(
  system: SystemSpec,
  store: SagaBenchStore,
  workload: Workload,
): Promise<CellMeasurement> {
  if (killed) throw new Error("The benchmark is stopping; no more processes start");
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-all",
      "--no-prompt",
      `--config=${CONFIG_PATH}`,
      ...(system.benchLock ? [`--lock=${BENCH_LOCK}`] : []),
      fileURLToPath(system.module),
      `--variant=${system.variant}`,
      `--location=${store.location}`,
      `--steps=${workload.steps}`,
      `--concurrency=${workload.concurrency}`,
      `--sagas=${workload.sagas}`,
      `--warmup=${workload.warmup}`,
    ],
    env: { NO_COLOR: "1" },
    stdin: "piped",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  running.add(child);
  const timer = setTimeout(() => _kill(child), CHILD_TIMEOUT_MS);
  const other: string[] = [];
  const messages = _messages(child.stderr, other);
  const failed = (why: string) =>
    new Error(
      `${system.label} (${workload.steps} steps × concurrency ${workload.concurrency}) ${why}${
        other.length === 0 ? "" : `; its last stderr lines:\n${other.slice(-20).join("\n")}`
      }`,
    );
  try {
    const warmed = await messages.next();
    if (warmed.done || warmed.value.kind !== "warmed") throw failed(_why(warmed.value));
    const before = await store.settledCounters();
    const stdin = child.stdin.getWriter();
    await stdin.write(new TextEncoder().encode(`${GO}\n`));
    const result = await messages.next();
    if (result.done || result.value.kind !== "result") throw failed(_why(result.value));
    const after = await store.settledCounters();
    await stdin.close();
    return {
      ...workload,
      run: result.value.run,
      ..._deltas(before, after),
    };
  } finally {
    clearTimeout(timer);
    _kill(child);
    await child.status;
    await messages.return(undefined);
    running.delete(child);
  }
}

/**
 * Kills every child still running and refuses to start more; for signal
 * handlers. Whatever waits on a child then fails, so the run unwinds and
 * removes its stores.
 */
export function killAllChildren(): void {
  killed = true;
  for (const child of running) _kill(child);
}

function _deltas(
  before: DatabaseCounters | null,
  after: DatabaseCounters | null,
): Pick<CellMeasurement, "writeTransactions" | "committedTransactions" | "rowsWritten"> {
  if (before === null || after === null) {
    return { writeTransactions: null, committedTransactions: null, rowsWritten: null };
  }
  return {
    writeTransactions: after.xid - before.xid - 1,
    committedTransactions: after.xactCommit - before.xactCommit,
    rowsWritten: after.rowsWritten - before.rowsWritten,
  };
}

function _why(message: ChildMessage | undefined): string {
  if (message === undefined) return "exited before it finished";
  if (message.kind === "failed") return `failed: ${message.error}`;
  return `sent "${message.kind}" out of turn`;
}

async function* _messages(
  stderr: ReadableStream<Uint8Array>,
  other: string[],
): AsyncGenerator<ChildMessage> {
  for await (const line of readLines(stderr)) {
    if (!line.startsWith(MESSAGE_PREFIX)) {
      if (line.trim() !== "") other.push(line);
      continue;
    }
    yield JSON.parse(line.slice(MESSAGE_PREFIX.length)) as ChildMessage;
  }
}

function _kill(child: Deno.ChildProcess): void {
  try {
    child.kill("SIGKILL");
  } catch (error) {
    // A TypeError means the child has already exited, which is what was wanted.
    if (!(error instanceof TypeError)) throw error;
  }
}
