/**
 * The child-process side of the sagas benchmark: opens one system on its
 * store, runs the warm-up and closes the system, waits for the benchmark's
 * `go`, then opens it again and runs the measured sagas, the same way as
 * the research's DBOS recipe: `concurrency` loops, each starting a saga and
 * awaiting its end before starting the next, until the count is reached.
 *
 * @module
 */
import process from "node:process";
import { parseArgs } from "node:util";
import { readLines } from "../workers/protocol.ts";
import { type ChildArgs, type ChildMessage, GO, MESSAGE_PREFIX } from "./protocol.ts";
import { countPgQueries, pgQueriesSent } from "./query_counter.ts";
import type { OpenSagaSystem, SagaSystem } from "./system.ts";

const encoder = new TextEncoder();

/**
 * Runs this process as a measuring child, as its command line says (see
 * {@linkcode ChildArgs}), and exits.
 *
 * @param pick The system of the command line's `--variant`.
 */
export async function runSagaChild(pick: (variant: string) => SagaSystem): Promise<never> {
  try {
    const args = _args();
    const system = pick(args.variant);
    const database = !args.location.endsWith(".kv");
    if (database) countPgQueries();
    const warm = await system.open(args.location, args.concurrency);
    await runLoops(warm, args.warmup, args.steps, args.concurrency);
    await warm.close();
    _send({ kind: "warmed" });
    await _awaitGo();
    const open = await system.open(args.location, args.concurrency);
    const calls = open.storeCalls();
    const queries = pgQueriesSent();
    const cpu = process.cpuUsage();
    const started = performance.now();
    await runLoops(open, args.sagas, args.steps, args.concurrency);
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const sent = pgQueriesSent();
    const after = open.storeCalls();
    await open.close();
    _send({
      kind: "result",
      run: {
        seconds,
        queries: queries === null || sent === null ? null : sent - queries,
        storeCalls: Object.fromEntries(
          Object.entries(after).map(([name, { count, ms }]) => [name, {
            count: count - (calls[name]?.count ?? 0),
            ms: ms - (calls[name]?.ms ?? 0),
          }]),
        ),
        cpuSeconds: (used.user + used.system) / 1e6,
      },
    });
    Deno.exit(0);
  } catch (error) {
    _send({
      kind: "failed",
      error: error instanceof Error ? error.stack ?? error.message : String(error),
    });
    Deno.exit(1);
  }
}

/**
 * Runs `sagas` sagas of `steps` steps: `concurrency` loops, each starting
 * a saga and awaiting its end before it starts the next.
 *
 * @param system The open system.
 * @param sagas How many sagas.
 * @param steps Steps per saga.
 * @param concurrency How many loops.
 */
export async function runLoops(
  system: OpenSagaSystem,
  sagas: number,
  steps: number,
  concurrency: number,
): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < sagas) {
      next++;
      await system.runSaga(steps);
    }
  }));
}

function _args(): ChildArgs {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      variant: { type: "string", default: "default" },
      location: { type: "string" },
      steps: { type: "string" },
      concurrency: { type: "string" },
      sagas: { type: "string" },
      warmup: { type: "string" },
    },
  });
  if (values.location === undefined) throw new TypeError("--location is required");
  return {
    variant: values.variant,
    location: values.location,
    steps: Number(values.steps),
    concurrency: Number(values.concurrency),
    sagas: Number(values.sagas),
    warmup: Number(values.warmup),
  };
}

async function _awaitGo(): Promise<void> {
  for await (const line of readLines(Deno.stdin.readable)) {
    if (line.trim() === GO) return;
  }
  throw new Error("The benchmark went away before the measured run");
}

function _send(message: ChildMessage): void {
  const bytes = encoder.encode(`${MESSAGE_PREFIX}${JSON.stringify(message)}\n`);
  let written = 0;
  while (written < bytes.length) written += Deno.stderr.writeSync(bytes.subarray(written));
}
