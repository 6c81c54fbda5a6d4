/**
 * The child-process side of the benchmark: turns a {@linkcode BenchSystem}
 * into a producer or worker process that answers the benchmark's requests
 * (see `protocol.ts`). Each system module calls {@linkcode runBenchChild}
 * when it is the main module, so a child loads exactly one system's
 * libraries.
 *
 * @module
 */
import { parseArgs } from "node:util";
import {
  type ChildMessage,
  type Command,
  MESSAGE_PREFIX,
  type Progress,
  PROGRESS_INTERVAL_MS,
  readLines,
  type Request,
  type WorkerReport,
} from "./protocol.ts";
import {
  type BenchSystem,
  clockMs,
  type JobPayload,
  type RunningWorker,
  type StoreTarget,
} from "./system.ts";

type Handler = (command: Command) => Promise<unknown>;

const encoder = new TextEncoder();

/**
 * Runs this process as a benchmark child of `system`, as the command line
 * says: `--role=producer|worker --location=<url or path> --variant=<name>
 * [--concurrency=N]`. Exits once it has answered `stop`, or when the
 * benchmark goes away (its stdin closes).
 *
 * @param system The job system.
 */
export async function runBenchChild(system: BenchSystem): Promise<never> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      role: { type: "string" },
      location: { type: "string" },
      variant: { type: "string", default: "default" },
      concurrency: { type: "string", default: "1" },
    },
  });
  if (values.location === undefined) throw new TypeError("--location is required");
  const target: StoreTarget = { location: values.location };
  const handler = values.role === "producer"
    ? await _producer(system, target, values.variant)
    : await _worker(system, target, values.variant, Number(values.concurrency));
  _send({ kind: "ready" });
  for await (const line of readLines(Deno.stdin.readable)) {
    if (line.trim() === "") continue;
    const request = JSON.parse(line) as Request;
    const reply = _answer(request, handler);
    if (request.command.type === "stop") {
      await reply;
      Deno.exit(0);
    }
  }
  Deno.exit(1);
}

async function _answer(request: Request, handler: Handler): Promise<void> {
  try {
    const value = await handler(request.command);
    _send({ kind: "reply", id: request.id, ok: true, value: value ?? null });
  } catch (error) {
    const text = error instanceof Error ? error.stack ?? error.message : String(error);
    _send({ kind: "reply", id: request.id, ok: false, error: text });
  }
}

function _send(message: ChildMessage): void {
  const bytes = encoder.encode(`${MESSAGE_PREFIX}${JSON.stringify(message)}\n`);
  let written = 0;
  while (written < bytes.length) written += Deno.stderr.writeSync(bytes.subarray(written));
}

async function _producer(system: BenchSystem, target: StoreTarget, variant: string) {
  const producer = await system.producer(target, variant);
  return async (command: Command): Promise<unknown> => {
    switch (command.type) {
      case "clock":
        return clockMs();
      case "setup":
        return await producer.setup();
      case "enqueue-bulk": {
        const started = clockMs();
        for (let from = command.from; from < command.from + command.count; from += command.batch) {
          const size = Math.min(command.batch, command.from + command.count - from);
          await producer.enqueueMany(Array.from({ length: size }, (_, k) => ({ i: from + k })));
        }
        return clockMs() - started;
      }
      case "enqueue-paced": {
        const started = clockMs();
        const calls: number[] = [];
        for (let k = 0; k < command.count; k++) {
          const wait = started + k * command.intervalMs - clockMs();
          if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
          const at = clockMs();
          await producer.enqueueOne({ i: command.from + k, at });
          calls.push(clockMs() - at);
        }
        return calls;
      }
      case "counts":
        return await producer.counts();
      case "stop":
        return await producer.close();
      default:
        throw new TypeError(`A producer cannot ${command.type}`);
    }
  };
}

async function _worker(
  system: BenchSystem,
  target: StoreTarget,
  variant: string,
  concurrency: number,
): Promise<Handler> {
  const handled: number[] = [];
  const latencies: [number, number][] = [];
  const progress: Progress = { drained: 0, latency: 0, firstStartAt: null };
  const record = (payload: JobPayload) => {
    const now = clockMs();
    handled.push(payload.i);
    if (payload.at === undefined) {
      progress.firstStartAt ??= now;
      progress.drained++;
    } else {
      latencies.push([payload.i, now - payload.at]);
      progress.latency++;
    }
  };
  const prepared = await system.worker(target, variant, concurrency, record);
  let reported = 0;
  const report = () => {
    if (handled.length === reported) return;
    reported = handled.length;
    _send({ kind: "progress", progress });
  };
  const ticker = setInterval(report, PROGRESS_INTERVAL_MS);
  let running: RunningWorker | undefined;
  return async (command: Command): Promise<unknown> => {
    switch (command.type) {
      case "clock":
        return clockMs();
      case "start":
        running = await prepared.start();
        return null;
      case "counters":
        return running?.counters() ?? {};
      case "stop": {
        await running?.stop();
        clearInterval(ticker);
        report();
        const final: WorkerReport = {
          handled,
          latencies,
          counters: running?.counters() ?? {},
        };
        return final;
      }
      default:
        throw new TypeError(`A worker cannot ${command.type}`);
    }
  };
}
