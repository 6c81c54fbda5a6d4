import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { join } from "node:path";
import { NetScriptError } from "@netscript/contracts/errors";
import type { ProcessResource, Resource } from "@netscript/plugin";
import { eachLine } from "./each_line.ts";
import { type ResourceState, type RunnerOptions, startResources } from "./run_resources.ts";

const SERVE = `Deno.serve(
  { hostname: "127.0.0.1", port: Number(Deno.env.get("PORT")), onListen() {} },
  () => new Response("ok"),
);
console.log("serving");\n`;
const IDLE = 'setInterval(() => {}, 1_000);\nconsole.log("ready");\n';
/** A service that listens only once the service on port `PEER` answers. */
const SERVE_AFTER_PEER = `const peer = \`http://127.0.0.1:\${Deno.env.get("PEER")}/health\`;
while (!(await fetch(peer).then((r) => r.body?.cancel().then(() => r.ok), () => false))) {
  await new Promise((resolve) => setTimeout(resolve, 10));
}
${SERVE}`;

const DB: Resource = {
  name: "db",
  kind: "store",
  engine: "sqlite",
  embedded: true,
  file: ".netscript/data/app.db",
};

function processor(name: string): ProcessResource {
  return {
    name,
    kind: "processor",
    entrypoint: `${name}.ts`,
    env: {},
    permissions: {},
    flags: ["--no-prompt", "--allow-env", "--allow-net=127.0.0.1"],
    waitFor: [],
    passEnv: [],
  };
}

function service(name: string): ProcessResource {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return {
    ...processor(name),
    kind: "service",
    port,
    env: { PORT: String(port) },
    health: "/health",
  };
}

/** Whether a process runs (a zombie, exited but not yet reaped, does not). Linux only. */
function alive(pid: number): boolean {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

/**
 * A temporary root holding each process's entrypoint (`sources`, by name),
 * and the events a runner reports. Disposing removes the root.
 */
async function workspace(sources: Record<string, string>) {
  const root = await Deno.makeTempDir({ prefix: "netscript-runner-" });
  for (const [name, source] of Object.entries(sources)) {
    await Deno.writeTextFile(join(root, `${name}.ts`), source);
  }
  const changes: string[] = [];
  const lines: string[] = [];
  const events: RunnerOptions["events"] = {
    line: (resource, stream, text) => lines.push(`${resource} ${stream} ${text}`),
    state: (_states, changed, message) =>
      changes.push(`${changed.name} ${changed.state}${message ? `: ${message}` : ""}`),
  };
  return {
    root,
    events,
    changes,
    lines,
    async file(): Promise<{ runner: number; resources: ResourceState[] }> {
      return JSON.parse(await Deno.readTextFile(join(root, ".netscript/dev/state.json")));
    },
    /** Resolves once `probe` holds; fails after a minute rather than hang the suite. */
    async until(probe: () => boolean): Promise<void> {
      for (let tries = 0; !probe(); tries++) {
        if (tries === 3_000) throw new Error(`timed out; reported: ${changes.join("; ")}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async [Symbol.asyncDispose]() {
      await Deno.remove(root, { recursive: true });
    },
  };
}

Deno.test("startResources() starts a processor after its service, records state.json, and stops in reverse", async () => {
  await using ws = await workspace({ api: SERVE, ticker: IDLE });
  const api = service("api");
  const running = await startResources({
    root: ws.root,
    graph: { resources: [DB, api, { ...processor("ticker"), waitFor: ["db", "api"] }] },
    events: ws.events,
  });
  const pids = running.states().flatMap((s) => s.pid === null ? [] : [s.pid]);
  try {
    deepEqual(running.states().map((s) => [s.name, s.state]), [
      ["db", "ready"],
      ["api", "running"],
      ["ticker", "running"],
    ]);
    equal(pids.length, 2);
    deepEqual(await ws.file(), { runner: Deno.pid, resources: running.states() });
    const response = await fetch(`http://127.0.0.1:${api.port}/health`);
    equal(await response.text(), "ok");
  } finally {
    await running.stop();
  }
  deepEqual(ws.changes, [
    "api starting",
    "api running",
    "ticker starting",
    "ticker running",
    "ticker stopping",
    "ticker stopped",
    "api stopping",
    "api stopped",
  ]);
  ok(pids.every((pid) => !alive(pid)), "every process is gone");
  deepEqual((await ws.file()).resources.map((s) => [s.name, s.state, s.pid]), [
    ["db", "ready", null],
    ["api", "stopped", null],
    ["ticker", "stopped", null],
  ]);
});

Deno.test("startResources() starts independent services together, a processor once its service is healthy", async () => {
  await using ws = await workspace({ first: SERVE_AFTER_PEER, second: SERVE, worker: IDLE });
  const second = service("second");
  const first = service("first");
  const waiting = { ...first, env: { ...first.env, PEER: String(second.port) } };
  const worker = { ...processor("worker"), waitFor: ["db", "first"] };
  // Listed before what it waits for, and "first" before the service it needs:
  // one at a time in list order, this graph never comes up.
  const running = await startResources({
    root: ws.root,
    graph: { resources: [DB, worker, waiting, second] },
    events: ws.events,
    healthTimeoutMs: 20_000,
  });
  try {
    const at = (change: string) => {
      const index = ws.changes.indexOf(change);
      ok(index >= 0, `${change} in ${ws.changes.join("; ")}`);
      return index;
    };
    ok(at("second starting") < at("first running"), "second started while first was starting");
    ok(at("first running") < at("worker starting"), "worker waited until first was healthy");
    deepEqual(
      (await ws.file()).resources.map((s) => [s.name, s.state]),
      [["db", "ready"], ["worker", "running"], ["first", "running"], ["second", "running"]],
      "state.json keeps the graph's order",
    );
  } finally {
    await running.stop();
  }
  const stops = ws.changes.filter((c) => c.endsWith(" stopped"));
  ok(
    stops.indexOf("worker stopped") < stops.indexOf("first stopped"),
    `the worker stops before its service: ${stops.join("; ")}`,
  );
});

Deno.test("startResources() stops what it started and rejects when a service never answers", async () => {
  await using ws = await workspace({ ticker: IDLE, mute: IDLE, later: IDLE });
  let tickerPid: number | null = null;
  const events: RunnerOptions["events"] = {
    ...ws.events,
    state(states, changed, message) {
      ws.events.state(states, changed, message);
      if (changed.name === "ticker" && changed.pid !== null) tickerPid = changed.pid;
    },
  };
  await rejects(
    startResources({
      root: ws.root,
      graph: {
        resources: [DB, processor("ticker"), service("mute"), {
          ...processor("later"),
          waitFor: ["mute"],
        }],
      },
      events,
      healthTimeoutMs: 300,
    }),
    (error: unknown) => {
      ok(error instanceof NetScriptError);
      equal(error.code, "DEV_HEALTH_TIMEOUT");
      equal(error.details.resource, "mute");
      return true;
    },
  );
  deepEqual(ws.changes, [
    "ticker starting",
    "mute starting",
    "ticker running",
    "ticker stopped",
    "mute stopped",
    "later stopped",
  ]);
  ok(tickerPid !== null && !alive(tickerPid), "the process started first is gone");
  deepEqual((await ws.file()).resources.map((s) => [s.name, s.state, s.pid]), [
    ["db", "ready", null],
    ["ticker", "stopped", null],
    ["mute", "stopped", null],
    ["later", "stopped", null],
  ]);
});

Deno.test("RunningResources.restart() restarts one process, not counted as a crash", async () => {
  await using ws = await workspace({ api: SERVE, ticker: IDLE });
  const running = await startResources({
    root: ws.root,
    graph: { resources: [service("api"), processor("ticker")] },
    events: ws.events,
  });
  try {
    const [api, ticker] = running.states().map((s) => ({ ...s }));
    await running.restart("ticker");
    await running.restart("no-such-resource");
    const [apiAfter, tickerAfter] = running.states();
    equal(apiAfter!.pid, api!.pid, "the other process is left alone");
    ok(tickerAfter!.pid !== null && tickerAfter!.pid !== ticker!.pid);
    deepEqual([tickerAfter!.state, tickerAfter!.restarts], ["running", 0]);
    deepEqual(ws.changes.slice(4), [
      "ticker restarting: ticker: files changed; restarting",
      "ticker starting",
      "ticker running",
    ]);
  } finally {
    await running.stop();
  }
  await running.restart("ticker");
  equal(ws.changes.at(-1), "api stopped", "nothing restarts once stopped");
});

Deno.test("startResources() gives up on a process after maxCrashes, the others keep running", async () => {
  await using ws = await workspace({ api: SERVE, crasher: "Deno.exit(2);\n" });
  const running = await startResources({
    root: ws.root,
    graph: { resources: [service("api"), { ...processor("crasher"), waitFor: ["api"] }] },
    events: ws.events,
    maxCrashes: 2,
    crashWindowMs: 600_000,
  });
  try {
    await ws.until(() => ws.changes.some((c) => c.startsWith("crasher failed")));
    deepEqual(ws.changes.slice(2), [
      "crasher starting",
      "crasher running",
      "crasher restarting: crasher exited with code 2; restarting in 500 ms",
      "crasher running",
      "crasher failed: crasher crashed 2 times within 600 s (last exit code 2); giving up on it, the others keep running",
    ]);
    deepEqual(running.states().map((s) => [s.name, s.state, s.restarts]), [
      ["api", "running", 0],
      ["crasher", "failed", 1],
    ]);
  } finally {
    await running.stop();
  }
  deepEqual(running.states().map((s) => s.state), ["stopped", "stopped"]);
});

Deno.test("startResources() first stops what a killed runner left behind", async () => {
  await using ws = await workspace({});
  const leftover = new Deno.Command(Deno.execPath(), {
    args: ["eval", IDLE],
    stdin: "null",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const { promise: ready, resolve } = Promise.withResolvers<void>();
  const output = eachLine(leftover.stdout, (line) => line === "ready" && resolve());
  const gone = new Deno.Command("true").spawn();
  try {
    await Promise.race([ready, output]);
    await gone.status;
    await Deno.mkdir(join(ws.root, ".netscript/dev"), { recursive: true });
    await Deno.writeTextFile(
      join(ws.root, ".netscript/dev/state.json"),
      JSON.stringify({ runner: gone.pid, resources: [{ name: "api", pid: leftover.pid }] }),
    );
    const running = await startResources({
      root: ws.root,
      graph: { resources: [DB] },
      events: ws.events,
    });
    equal((await leftover.status).signal, "SIGTERM");
    await running.stop();
    deepEqual(await ws.file(), { runner: Deno.pid, resources: running.states() });
  } finally {
    try {
      leftover.kill("SIGKILL");
    } catch {
      // it was stopped
    }
    await leftover.status;
    await output;
  }
});
