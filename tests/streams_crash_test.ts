/**
 * Crash tests for `streams-api`, run as a real process on the real stores
 * (PostgreSQL and a Deno KV file): four idempotent producers append 10,000
 * records while the server is killed with SIGKILL three times and
 * restarted on the same port. No acknowledged record may be lost, none may
 * be written twice, and every producer's records must come back in order
 * with no gap. Then a producer fenced by a newer epoch is refused with 403.
 *
 * @module
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import { z } from "zod";
import { createDurableStream, type DurableStream } from "@netscript/plugin-streams-core";
import { NetScriptError } from "@netscript/contracts/errors";
import { freshStreamsDatabase } from "../plugins/streams-core/src/adapters/postgres/testdata/streams_database.ts";
import { CRASH_TOPIC } from "../plugins/streams/src/runtime/testdata/definitions.ts";
import { postgres } from "./support/databases.ts";
import { type ChildProgram, killProgram, startProgram } from "./support/process.ts";
import { assertAvailable, type Requirement } from "./support/requirements.ts";

const API = new URL("../plugins/streams/src/runtime/testdata/api_main.ts", import.meta.url);
const PERMISSIONS = [
  "--allow-net",
  "--allow-env",
  "--allow-read",
  "--allow-write",
  "--unstable-kv",
];
const PRODUCERS = 4;
const RECORDS_PER_PRODUCER = 2_500;
/** How many records each producer keeps unacknowledged at once. */
const WINDOW = 40;
/** The most records one append request carries, so a run makes hundreds of requests. */
const BATCH = 10;
/** The kills happen when this many records in total have been acknowledged. */
const KILL_AT = [1_500, 4_500, 7_500];
/** How long a restarted server may take to answer, on a busy machine. */
const READY_TIMEOUT_MS = 60_000;
/** Enough tries (at most 250 ms apart) to ride out a restart of well over a minute. */
const RETRY = { attempts: 400, baseDelayMs: 20, maxDelayMs: 250 };

const CrashRecordSchema = z.object({ producer: z.string(), n: z.number().int() });
type CrashRecord = z.output<typeof CrashRecordSchema>;

/** A store `streams-api` runs on in this test. */
interface StoreUnderTest {
  name: string;
  requirement?: Requirement;
  /** The server's environment for an empty store, and what to remove afterwards. */
  open(): Promise<{ env: Record<string, string>; dispose(): Promise<void> }>;
}

const STORES: StoreUnderTest[] = [
  {
    name: "Postgres",
    requirement: postgres,
    async open() {
      const database = await freshStreamsDatabase();
      return {
        env: { STREAMS_STORE: "postgres", DATABASE_URL: database.url },
        dispose: () => database.drop(),
      };
    },
  },
  {
    name: "Deno KV",
    async open() {
      const dir = await Deno.makeTempDir({ prefix: "netscript-streams-crash-" });
      return {
        env: {
          STREAMS_STORE: "kv",
          STREAMS_KV_PATH: `${dir}/streams.kv`,
          NETSCRIPT_CONFIG_KV_PATH: `${dir}/config.kv`,
        },
        dispose: () => Deno.remove(dir, { recursive: true }),
      };
    },
  },
];

function _freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr;
  listener.close();
  return port;
}

/** Starts `streams-api` and waits until its declared topic answers. */
async function _startServer(env: Record<string, string>, base: string): Promise<ChildProgram> {
  const program = startProgram(API, { permissions: PERMISSIONS, env });
  let exited = false;
  program.finished.then(() => exited = true);
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline && !exited) {
    try {
      const response = await fetch(`${base}/v1/stream/${CRASH_TOPIC}`, { method: "HEAD" });
      await response.body?.cancel();
      if (response.status === 200) return program;
    } catch (error) {
      if (!(error instanceof TypeError)) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await killProgram(program);
  throw new Error(
    `streams-api did not answer on ${base} within ${READY_TIMEOUT_MS / 1000} s:\n${
      program.stderr.join("\n")
    }`,
  );
}

/** What a producer reports while it runs. */
interface ProduceHooks {
  /** Called as each record is handed to the producer. */
  onAppend(): void;
  /** Called when record `n` is acknowledged. */
  onAck(n: number): void;
}

/** Appends `{ producer, n }` for n = 0..2499, keeping at most WINDOW unacknowledged. */
async function _produce(stream: DurableStream<CrashRecord>, hooks: ProduceHooks): Promise<void> {
  const inFlight = new Set<Promise<void>>();
  for (let n = 0; n < RECORDS_PER_PRODUCER; n++) {
    hooks.onAppend();
    const acked: Promise<void> = stream.append({ producer: stream.producerId, n })
      .then(() => hooks.onAck(n))
      .finally(() => inFlight.delete(acked));
    inFlight.add(acked);
    if (inFlight.size >= WINDOW) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
}

for (const store of STORES) {
  Deno.test({
    name:
      `streams-api on ${store.name} keeps four producers' 10,000 records exactly once and in order across three SIGKILLs, and fences a stale epoch`,
    ignore: store.requirement?.ignore ?? false,
  }, async () => {
    if (store.requirement) assertAvailable(store.requirement, store.name);
    const { env: storeEnv, dispose } = await store.open();
    const port = _freePort();
    const base = `http://127.0.0.1:${port}`;
    const env = { ...storeEnv, PORT: String(port), STREAMS_LOG_LEVEL: "warn" };
    let server: ChildProgram | undefined;
    try {
      server = await _startServer(env, base);
      const giveUp = new AbortController();
      const producers = Array.from({ length: PRODUCERS }, (_, i) =>
        createDurableStream({
          topic: CRASH_TOPIC,
          schema: CrashRecordSchema,
          url: base,
          producerId: `crash-p${i}`,
          epoch: 1,
          maxBatchMessages: BATCH,
          retry: RETRY,
          signal: giveUp.signal,
        }));
      const acknowledged = producers.map(() => new Set<number>());
      let appended = 0;
      let total = 0;
      const killed: Promise<void>[] = [];
      const unacknowledgedAtKill: number[] = [];
      const onAck = (producer: number, n: number) => {
        acknowledged[producer]!.add(n);
        total++;
        if (total !== KILL_AT[killed.length]) return;
        unacknowledgedAtKill.push(appended - total);
        const victim = server!;
        victim.child.kill("SIGKILL");
        const restarted = (async () => {
          const status = await victim.finished;
          equal(status.signal, "SIGKILL", "the server died of the SIGKILL");
          server = await _startServer(env, base);
        })();
        restarted.catch((error) => giveUp.abort(error));
        killed.push(restarted);
      };
      await Promise.all(
        producers.map((stream, i) =>
          _produce(stream, { onAppend: () => appended++, onAck: (n) => onAck(i, n) })
        ),
      );
      await Promise.all(killed);
      equal(killed.length, KILL_AT.length, "the server was killed three times");
      ok(
        unacknowledgedAtKill.every((count) => count > 0),
        `appends were in flight at every kill (${unacknowledgedAtKill.join(", ")})`,
      );

      for (const [i, set] of acknowledged.entries()) {
        equal(set.size, RECORDS_PER_PRODUCER, `every append of crash-p${i} was acknowledged`);
      }
      const reader = createDurableStream({
        topic: CRASH_TOPIC,
        schema: CrashRecordSchema,
        url: base,
      });
      const seen = new Map<string, number[]>(producers.map((p) => [p.producerId, []]));
      for await (const batch of reader.read({ from: "start" })) {
        for (const record of batch.messages) seen.get(record.producer)!.push(record.n);
      }
      const expected = Array.from({ length: RECORDS_PER_PRODUCER }, (_, n) => n);
      for (const [producer, ns] of seen) {
        deepEqual(ns, expected, `${producer}'s records are 0..2499, once each, in order`);
      }

      const successor = createDurableStream({
        topic: CRASH_TOPIC,
        schema: CrashRecordSchema,
        url: base,
        producerId: producers[0]!.producerId,
        epoch: 2,
      });
      await successor.append({ producer: successor.producerId, n: RECORDS_PER_PRODUCER });
      const fenced = await producers[0]!.append({ producer: "crash-p0", n: 0 }).then(
        () => undefined,
        (error: unknown) => error,
      );
      ok(fenced instanceof NetScriptError, `the stale producer is refused (got ${fenced})`);
      equal(fenced.code, "STREAMS_PRODUCER_FENCED");
      equal(fenced.details?.status, 403);
      const stale = await fetch(`${base}/v1/stream/${CRASH_TOPIC}`, {
        method: "POST",
        body: JSON.stringify([{ producer: "crash-p0", n: 0 }]),
        headers: {
          "content-type": "application/json",
          "producer-id": "crash-p0",
          "producer-epoch": "1",
          "producer-seq": "0",
        },
      });
      await stale.body?.cancel();
      equal(stale.status, 403, "a request with the stale epoch answers 403");
      equal(stale.headers.get("producer-epoch"), "2", "and names the current epoch");
      console.log(
        `streams crash test (${store.name}): ${total} records acknowledged, records in flight at the SIGKILLs: ${
          unacknowledgedAtKill.join(", ")
        }`,
      );
    } finally {
      if (server) await killProgram(server);
      await dispose();
    }
  });
}
