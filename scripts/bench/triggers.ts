/**
 * `deno task bench:triggers`: the triggers plugin on PostgreSQL, in one run
 * on this machine.
 *
 * 1. Ingress throughput: `triggers-api` (`createTriggersService` on the
 *    PostgreSQL delivery store, served on a port in its own process)
 *    against a bare NetScript service (`createService` with a mount that
 *    reads the body and answers 202) in the same kind of process, both
 *    sent the same signed Standard Webhooks requests, each a new delivery
 *    id, by the same concurrent fetch loops from this process. The goal
 *    is ≥ 0.7 × the bare service.
 * 2. Webhook received → job handler started, p50 and p99, for webhooks
 *    sent one at a time to `triggers-api` over HTTP, with a dispatcher and
 *    a worker on the PostgreSQL delivery store and job queue, all in this
 *    process so one clock times both ends. The goal is p50 < 5 ms.
 *
 * Every process and database it made is removed, even when it fails.
 *
 * ```sh
 * deno task bench:triggers
 * deno task bench:triggers --seconds=10 --connections=32 --webhooks=1000 --json
 * ```
 *
 * @module
 */
import { parseArgs } from "node:util";
import { cpus, totalmem } from "node:os";
import { postgresVersion } from "./streams/stores.ts";
import { openBenchDatabase } from "./triggers/definitions.ts";
import { type IngressLoad, type IngressResult, measureIngress } from "./triggers/ingress.ts";
import { type LatencyResult, measureLatency } from "./triggers/latency.ts";

/** The ingress goal: triggers-api ÷ bare service req/s. */
const INGRESS_GOAL = 0.7;
/** The latency goal: p50 received → handler started, in ms. */
const LATENCY_GOAL_MS = 5;

/** Everything one run measured. */
interface TriggersBenchReport {
  readonly settings: IngressLoad & { readonly webhooks: number };
  readonly machine: Record<string, string | number>;
  readonly ingress: {
    readonly bare: IngressResult;
    readonly triggers: IngressResult;
    readonly ratio: number;
  };
  readonly latency: LatencyResult;
}

function _options() {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      seconds: { type: "string", default: "5" },
      warmup: { type: "string", default: "2" },
      connections: { type: "string", default: "16" },
      webhooks: { type: "string", default: "500" },
      json: { type: "boolean", default: false },
    },
  });
  const number = (name: keyof typeof values) => {
    const value = Number(values[name]);
    if (!Number.isInteger(value) || value < 1) {
      throw new RangeError(`--${name} must be a positive whole number, not "${values[name]}"`);
    }
    return value;
  };
  return {
    load: {
      seconds: number("seconds"),
      warmupSeconds: number("warmup"),
      connections: number("connections"),
    },
    webhooks: number("webhooks"),
    json: values.json,
  };
}

async function run(load: IngressLoad, webhooks: number): Promise<TriggersBenchReport> {
  const machine = {
    deno: Deno.version.deno,
    postgres: await postgresVersion(),
    os: `${Deno.build.os} ${Deno.osRelease()}`,
    cpus: navigator.hardwareConcurrency,
    cpuModel: cpus()[0]?.model.trim() ?? "unknown",
    memoryGib: Math.round(totalmem() / 2 ** 30),
    loadAverageAtStart: Deno.loadavg()[0] ?? 0,
  };
  console.error("▶ ingress: bare NetScript service");
  const bare = await _withDatabase((url) => measureIngress("bare", url, load));
  console.error("▶ ingress: triggers-api on Postgres");
  const triggers = await _withDatabase((url) => measureIngress("triggers", url, load));
  console.error(`▶ latency: ${webhooks} webhooks, one at a time`);
  const latency = await _withDatabase((url) => measureLatency(url, webhooks, 20));
  return {
    settings: { ...load, webhooks },
    machine,
    ingress: { bare, triggers, ratio: triggers.requestsPerSecond / bare.requestsPerSecond },
    latency,
  };
}

async function _withDatabase<T>(body: (url: string) => Promise<T>): Promise<T> {
  await using database = await openBenchDatabase();
  return await body(database.url);
}

function _format(report: TriggersBenchReport): string {
  const { settings: s, machine: m, ingress, latency } = report;
  const rate = (r: IngressResult) => Math.round(r.requestsPerSecond).toLocaleString("en-US");
  const rows = [
    ["Ingress", "req/s", "×", "errors"],
    [
      "bare NetScript service (mount answers 202)",
      rate(ingress.bare),
      "1.00",
      String(ingress.bare.errors),
    ],
    [
      "triggers-api on Postgres (verify + record)",
      rate(ingress.triggers),
      ingress.ratio.toFixed(2),
      String(ingress.triggers.errors),
    ],
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  const table = rows.map((row) =>
    row.map((cell, c) => c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)).join("  ")
  );
  const ms = (value: number) => value.toFixed(2);
  return [
    `Triggers benchmark: ingress ${s.connections} concurrent fetch loops, ${s.warmupSeconds} s warm-up + ${s.seconds} s per server, signed Standard Webhooks POSTs, each a new delivery id; latency over ${s.webhooks} webhooks sent one at a time (after 20 unmeasured)`,
    `Deno ${m.deno}, PostgreSQL ${m.postgres}, ${m.os}, ${m.cpus} CPUs (${m.cpuModel}), ${m.memoryGib} GiB, load average ${
      Number(m.loadAverageAtStart).toFixed(2)
    } at start`,
    "",
    ...table,
    "",
    `× = triggers-api ÷ bare service. Goal (≥ ${INGRESS_GOAL}): ${
      ingress.ratio >= INGRESS_GOAL ? "met" : "NOT met"
    } (${ingress.ratio.toFixed(2)})`,
    "",
    `Webhook received → job handler started (one process: triggers-api over HTTP, dispatcher, worker; Postgres stores, LISTEN/NOTIFY wake-ups):`,
    `  p50 ${ms(latency.p50Ms)} ms, p99 ${ms(latency.p99Ms)} ms, max ${
      ms(latency.maxMs)
    } ms; 202 answered: p50 ${ms(latency.answerP50Ms)} ms, p99 ${ms(latency.answerP99Ms)} ms`,
    `Goal (p50 < ${LATENCY_GOAL_MS} ms): ${latency.p50Ms < LATENCY_GOAL_MS ? "met" : "NOT met"}`,
  ].join("\n");
}

if (import.meta.main) {
  let options: ReturnType<typeof _options>;
  try {
    options = _options();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    Deno.exit(2);
  }
  const report = await run(options.load, options.webhooks);
  console.log(options.json ? JSON.stringify(report, null, 2) : _format(report));
}
