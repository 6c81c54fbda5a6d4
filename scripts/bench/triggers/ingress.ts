/**
 * The ingress part of `deno task bench:triggers`: one server process (see
 * `server.ts`) on a free port, driven over HTTP by a few concurrent fetch
 * loops that each send signed webhooks, every one a new delivery id, for a
 * warm-up and then a measured period.
 *
 * @module
 */
import { signedWebhook } from "./definitions.ts";

const SERVER = new URL("./server.ts", import.meta.url).pathname;

/** The load each server gets. */
export interface IngressLoad {
  /** Concurrent request loops. */
  readonly connections: number;
  /** Seconds of warm-up, not counted. */
  readonly warmupSeconds: number;
  /** Seconds measured. */
  readonly seconds: number;
}

/** One server's measurement. */
export interface IngressResult {
  /** Answers 202 per second in the measured period. */
  readonly requestsPerSecond: number;
  /** Answers 202 in the measured period. */
  readonly accepted: number;
  /** Answers other than 202, or failed requests, in the measured period. */
  readonly errors: number;
}

/**
 * Starts the server of `kind`, loads it, and stops it.
 *
 * @param kind `triggers` (triggers-api on Postgres) or `bare` (a NetScript service answering 202).
 * @param databaseUrl The database `triggers` records into.
 * @param load The load.
 * @returns The measurement.
 */
export async function measureIngress(
  kind: "triggers" | "bare",
  databaseUrl: string,
  load: IngressLoad,
): Promise<IngressResult> {
  const port = _freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-all",
      SERVER,
      kind,
      String(port),
      databaseUrl,
    ],
    stdin: "null",
    stdout: "null",
    stderr: "inherit",
  }).spawn();
  let exited = false;
  const status = server.status.then((status) => {
    exited = true;
    return status;
  });
  try {
    await _ready(base, () => exited);
    await _drive(base, load.connections, load.warmupSeconds);
    return await _drive(base, load.connections, load.seconds);
  } finally {
    if (!exited) server.kill("SIGTERM");
    await status;
  }
}

async function _drive(base: string, connections: number, seconds: number): Promise<IngressResult> {
  let accepted = 0;
  let errors = 0;
  let n = 0;
  const started = performance.now();
  const end = started + seconds * 1_000;
  await Promise.all(Array.from({ length: connections }, async () => {
    while (performance.now() < end) {
      try {
        const answer = await fetch(await signedWebhook(base, n++));
        await answer.body?.cancel();
        if (answer.status === 202) accepted++;
        else errors++;
      } catch {
        errors++;
      }
    }
  }));
  const elapsed = (performance.now() - started) / 1_000;
  return { requestsPerSecond: accepted / elapsed, accepted, errors };
}

async function _ready(base: string, exited: () => boolean): Promise<void> {
  const deadline = Date.now() + 30_000;
  let last: unknown;
  while (Date.now() < deadline && !exited()) {
    try {
      const answer = await fetch(await signedWebhook(base, -1));
      await answer.body?.cancel();
      if (answer.status === 202) return;
      last = `status ${answer.status}`;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(
    `The server at ${base} did not accept a webhook (within 30 s, or it exited): ${last}`,
  );
}

function _freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr;
  listener.close();
  return port;
}
