import { deepEqual, equal, match, ok } from "node:assert/strict";
import { createConfigTopic } from "@netscript/runtime-config";
import { createKvConfigStore } from "@netscript/runtime-config/kv";
import { openKvJobQueue } from "@netscript/plugin-workers-core/kv";
import { type ChildProgram, startProgram } from "../../../../tests/support/process.ts";
import schema from "../../scaffold/runtime/workers.schema.json" with { type: "json" };
import { openWorkersClient } from "./processes.ts";
import { definitions, plugin } from "./testdata/definitions.ts";

const WORKER = new URL("./testdata/worker_main.ts", import.meta.url);
const API = new URL("./testdata/api_main.ts", import.meta.url);
const PERMISSIONS = [
  "--allow-read",
  "--allow-write",
  "--allow-env",
  "--allow-net",
  "--unstable-kv",
];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A workspace of KV files: the job store and the config store. */
async function workspace() {
  const dir = await Deno.makeTempDir({ prefix: "netscript-workers-processes-" });
  const env = {
    WORKERS_KV_PATH: `${dir}/workers.kv`,
    NETSCRIPT_CONFIG_KV_PATH: `${dir}/config.kv`,
    WORKER_CONCURRENCY: "1",
  };
  return { dir, env, [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }) };
}

function records(program: ChildProgram): Record<string, unknown>[] {
  return [...program.stdout, ...program.stderr].flatMap((line) => {
    try {
      return [JSON.parse(line)];
    } catch {
      return [];
    }
  });
}

/** The most jobs seen running at once over `ms`. */
async function peakRunning(path: string, ms: number): Promise<number> {
  const queue = await openKvJobQueue(path);
  let peak = 0;
  try {
    for (const end = Date.now() + ms; Date.now() < end; await sleep(50)) {
      peak = Math.max(peak, (await queue.stats()).running);
    }
  } finally {
    await queue.close();
  }
  return peak;
}

Deno.test("a running worker follows the workers config topic within a second, and keeps it across a restart", async () => {
  await using ws = await workspace();
  const queue = await openKvJobQueue(ws.env.WORKERS_KV_PATH, { createFolder: true });
  await queue.enqueueMany(
    Array.from({ length: 40 }, () => ({ name: "nap", input: { ms: 400 } })),
  );
  await queue.close();

  await using first = startProgram(WORKER, { permissions: PERMISSIONS, env: ws.env });
  const started = await first.waitForRecord((r) => r.msg === "worker limits");
  deepEqual(
    [started.revision, started.concurrency, started.pollMs, started.leaseMs],
    [0, 1, 1_000, 30_000],
    "nothing stored: the process defaults, WORKER_CONCURRENCY first",
  );
  ok(await peakRunning(ws.env.WORKERS_KV_PATH, 600) <= 1);

  const store = await createKvConfigStore({ path: ws.env.NETSCRIPT_CONFIG_KV_PATH });
  try {
    const topic = createConfigTopic({ name: "workers", schema, store });
    const changedAt = Date.now();
    await topic.set({ concurrency: 4 });
    const changed = await first.waitForRecord((r) =>
      r.msg === "worker limits changed by the config topic"
    );
    ok(Date.now() - changedAt < 1_000, `applied within a second (${Date.now() - changedAt} ms)`);
    deepEqual([changed.revision, changed.concurrency, changed.pollMs], [1, 4, 1_000]);
    ok(await peakRunning(ws.env.WORKERS_KV_PATH, 800) > 1, "more jobs run at once");

    await store.write("workers", { concurrency: 0, pollMs: "fast" });
    const isRefusal = (r: Record<string, unknown>) =>
      typeof r.msg === "string" && r.msg.includes("invalid value at revision 2");
    for (let i = 0; i < 200 && !records(first).some(isRefusal); i++) await sleep(50);
    const refused = records(first).find(isRefusal);
    ok(refused, "the invalid value is logged");
    match(JSON.stringify(refused.issues), /concurrency/);
    match(JSON.stringify(refused.issues), /pollMs/);
    equal(
      records(first).filter((r) => r.msg === "worker limits changed by the config topic").length,
      1,
      "the last good value stays in force",
    );
    await topic.set({ concurrency: 3, leaseMs: 5_000 });
  } finally {
    await store.close();
  }
  await first.waitForRecord((r) =>
    r.msg === "worker limits changed by the config topic" && r.revision === 3
  );
  first.child.kill("SIGTERM");
  equal((await first.finished).code, 0);

  await using second = startProgram(WORKER, { permissions: PERMISSIONS, env: ws.env });
  const restarted = await second.waitForRecord((r) => r.msg === "worker limits");
  deepEqual(
    [restarted.revision, restarted.concurrency, restarted.leaseMs, restarted.pollMs],
    [3, 3, 5_000, 1_000],
    "a restart starts with the stored value; fields left out fall back to the defaults",
  );
  second.child.kill("SIGTERM");
  equal((await second.finished).code, 0);
});

Deno.test("SIGTERM stops a worker inside the grace and hands its jobs back", async () => {
  await using ws = await workspace();
  const queue = await openKvJobQueue(ws.env.WORKERS_KV_PATH, { createFolder: true });
  await queue.enqueue({ name: "nap", input: { ms: 60_000 } });
  await using program = startProgram(WORKER, { permissions: PERMISSIONS, env: ws.env });
  await program.waitForRecord((r) => r.msg === "worker limits");
  for (let i = 0; i < 100 && (await queue.stats()).running === 0; i++) await sleep(50);
  equal((await queue.stats()).running, 1);
  const stopping = Date.now();
  program.child.kill("SIGTERM");
  equal((await program.finished).code, 0);
  const took = Date.now() - stopping;
  ok(took < 4_500, `stopped within the deadline (${took} ms)`);
  equal((await queue.stats()).queued, 1, "the unfinished job is queued again");
  await queue.close();
  const stopped = records(program).find((r) => r.msg === "processor stopped");
  equal(stopped?.reason, "SIGTERM");
});

Deno.test("a worker refuses a WORKER_CONCURRENCY that is not an integer from 1 to 1000", async () => {
  await using ws = await workspace();
  for (const value of ["abc", "0", "2.5", "1001"]) {
    await using program = startProgram(WORKER, {
      permissions: PERMISSIONS,
      env: { ...ws.env, WORKER_CONCURRENCY: value },
    });
    const status = await program.finished;
    ok(!status.success, value);
    const stderr = program.stderr.join("\n");
    match(stderr, /RUNTIME_INVALID_SETTING/);
    ok(
      stderr.includes(
        `WORKER_CONCURRENCY="${value}" is not a valid setting: it must be an integer from 1 to 1000`,
      ),
      stderr,
    );
  }
});

Deno.test("a worker refuses a WORKER_CLAIM_AHEAD that is not an integer from 0 to 10000", async () => {
  await using ws = await workspace();
  for (const value of ["-1", "10001", "many"]) {
    await using program = startProgram(WORKER, {
      permissions: PERMISSIONS,
      env: { ...ws.env, WORKER_CLAIM_AHEAD: value },
    });
    const status = await program.finished;
    ok(!status.success, value);
    const stderr = program.stderr.join("\n");
    match(stderr, /RUNTIME_INVALID_SETTING/);
    ok(stderr.includes(`WORKER_CLAIM_AHEAD="${value}" is not a valid setting`), stderr);
  }
});

Deno.test("workers-api refuses a PORT that is not a port number, and serves on a good one", async () => {
  await using ws = await workspace();
  await using refused = startProgram(API, {
    permissions: PERMISSIONS,
    env: { ...ws.env, PORT: "abc" },
  });
  ok(!(await refused.finished).success);
  match(
    refused.stderr.join("\n"),
    /PORT="abc" is not a valid setting: it must be an integer from 0 to 65535/,
  );

  await using api = startProgram(API, { permissions: PERMISSIONS, env: { ...ws.env, PORT: "0" } });
  const listening = await api.waitForRecord((r) => r.msg === "service listening");
  const response = await fetch(new URL("/api/stats", listening.url as string));
  equal(response.status, 200);
  equal((await response.json()).queued, 0);
  api.child.kill("SIGTERM");
  equal((await api.finished).code, 0);
  ok(records(api).some((r) => r.msg === "job store open" && r.service === "workers-api"));
});

Deno.test("openWorkersClient() enqueues the workspace's jobs on the store the environment selects", async () => {
  await using ws = await workspace();
  const workers = await openWorkersClient({
    plugin,
    definitions,
    env: { get: (name) => (ws.env as Record<string, string>)[name] },
  });
  try {
    const { id } = await workers.client.enqueue("nap", { ms: 1 });
    equal((await workers.store.queue.get(id))?.name, "nap");
    equal(workers.store.kind, "kv");
  } finally {
    await workers.close();
  }
});
