import { deepEqual, equal, match, ok, rejects } from "node:assert/strict";
import { join } from "node:path";
import { NetScriptError } from "@netscript/contracts/errors";
import type { ProcessResource } from "@netscript/plugin";
import { findLauncher } from "./parent_death.ts";
import { spawnResource } from "./spawn_resource.ts";
import type { ResourceState } from "./state_table.ts";
import { superviseProcess, type SuperviseProcessOptions } from "./supervise_process.ts";

/** Runs until stopped, printing `ready` once running. */
const IDLE = 'setInterval(() => {}, 1_000);\nconsole.log("ready");\n';
/** Whether the file `marker` exists in the root. */
const MARKED =
  'const marked = (() => { try { Deno.statSync("marker"); return true; } catch { return false; } })();\n';
/** Serves `/health` on `PORT` until `marker` exists; then exits with code 1. */
const SERVE_UNTIL_MARKED = `${MARKED}if (marked) Deno.exit(1);
Deno.serve({ hostname: "127.0.0.1", port: Number(Deno.env.get("PORT")), onListen() {} }, () => new Response("ok"));\n`;
/** Exits with code 3 until `marker` exists; then runs. */
const CRASH_UNTIL_MARKED = `${MARKED}if (!marked) Deno.exit(3);\n${IDLE}`;

const FLAGS = ["--no-prompt", "--allow-read", "--allow-env", "--allow-net=127.0.0.1"];

function processor(): ProcessResource {
  return {
    name: "ticker",
    kind: "processor",
    entrypoint: "main.ts",
    env: {},
    permissions: {},
    flags: FLAGS,
    waitFor: [],
    passEnv: [],
  };
}

function service(port: number): ProcessResource {
  return { ...processor(), name: "api", kind: "service", port, env: { PORT: String(port) } };
}

/** A port nothing listens on right now. */
function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

/** What a supervisor reported. */
interface Update {
  changes: Partial<ResourceState>;
  message: string | undefined;
}

/**
 * Supervises `resource` whose entrypoint is `source`, in a temporary root,
 * recording what it reports and prints. Disposing stops it, drains the
 * output of every process it started and removes the root.
 */
async function supervised(
  resource: ProcessResource,
  source: string,
  options: Omit<SuperviseProcessOptions, "spawn" | "update"> = {},
) {
  const root = await Deno.makeTempDir({ prefix: "netscript-supervise-" });
  await Deno.writeTextFile(join(root, resource.entrypoint), source);
  const launcher = await findLauncher();
  const updates: Update[] = [];
  const lines: string[] = [];
  const outputs: Promise<void>[] = [];
  let wake: (() => void) | undefined;
  const poke = () => {
    wake?.();
    wake = undefined;
  };
  const supervisor = superviseProcess(resource, {
    ...options,
    spawn() {
      const spawned = spawnResource(resource, {
        root,
        launcher,
        onLine: (_stream, text) => {
          lines.push(text);
          poke();
        },
      });
      outputs.push(spawned.output);
      return spawned.child;
    },
    update(changes, message) {
      updates.push({ changes: { ...changes }, message });
      poke();
      return Promise.resolve();
    },
  });
  return {
    root,
    supervisor,
    updates,
    lines,
    outputs,
    /** The states reported so far. */
    states: () => updates.map((u) => u.changes.state),
    /**
     * Resolves once `probe` holds, checking after each report or line; fails
     * after a minute rather than hang the suite.
     */
    async until(probe: () => boolean): Promise<void> {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const stuck = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`timed out; reported: ${JSON.stringify(updates)}`)),
          60_000,
        );
      });
      try {
        while (!probe()) {
          await Promise.race([new Promise<void>((resolve) => wake = resolve), stuck]);
        }
      } finally {
        clearTimeout(timer);
      }
    },
    async [Symbol.asyncDispose]() {
      await supervisor.stop();
      await Promise.all(outputs);
      await Deno.remove(root, { recursive: true });
    },
  };
}

Deno.test("superviseProcess() restarts a process that crashed, counting the restart", async () => {
  await using run = await supervised(processor(), IDLE, { crashPolicy: { backoffMs: 10 } });
  await run.supervisor.start();
  const first = run.supervisor.child!;
  await run.until(() => run.lines.includes("ready"));
  deepEqual(run.updates, [
    { changes: { state: "starting", pid: first.pid }, message: undefined },
    { changes: { state: "running" }, message: undefined },
  ]);
  first.kill("SIGKILL");
  await run.until(() => run.updates.length === 4);
  const second = run.supervisor.child!;
  ok(second !== first && second.pid !== first.pid);
  deepEqual(run.updates.slice(2), [
    {
      changes: { state: "restarting", pid: null },
      message: "ticker exited with code 137; restarting in 10 ms",
    },
    { changes: { state: "running", pid: second.pid, restarts: 1 }, message: undefined },
  ]);
  await run.until(() => run.lines.filter((line) => line === "ready").length === 2);
});

Deno.test("superviseProcess() gives up on repeated rapid crashes; restart() brings it back", async () => {
  await using run = await supervised(processor(), CRASH_UNTIL_MARKED, {
    crashPolicy: { maxCrashes: 3, backoffMs: 1 },
  });
  await run.supervisor.start();
  await run.until(() => run.states().includes("failed"));
  deepEqual(run.states(), [
    "starting",
    "running",
    "restarting",
    "running",
    "restarting",
    "running",
    "failed",
  ]);
  equal(run.updates[5]!.changes.restarts, 2);
  deepEqual(run.updates[6], {
    changes: { state: "failed", pid: null },
    message:
      "ticker crashed 3 times within 30 s (last exit code 3); giving up on it, the others keep running",
  });
  equal(run.outputs.length, 3, "no process is started after giving up");

  await Deno.writeTextFile(join(run.root, "marker"), "");
  await run.supervisor.restart();
  const next = run.supervisor.child!;
  deepEqual(run.updates.slice(7), [
    { changes: { state: "restarting", pid: null }, message: "ticker: files changed; restarting" },
    { changes: { state: "starting", pid: next.pid }, message: undefined },
    { changes: { state: "running" }, message: undefined },
  ]);
  await run.until(() => run.lines.includes("ready"));
});

Deno.test("superviseProcess() pause() keeps a process stopped until restart()", async () => {
  await using run = await supervised(processor(), IDLE, { crashPolicy: { backoffMs: 1 } });
  await run.supervisor.start();
  await run.until(() => run.lines.includes("ready"));
  const first = run.supervisor.child!;
  await run.supervisor.pause();
  equal((await first.status).signal, "SIGTERM");
  deepEqual(run.updates.slice(2), [
    { changes: { state: "stopping" }, message: undefined },
    { changes: { state: "stopped", pid: null }, message: "ticker: stopped on request" },
  ]);
  await new Promise((resolve) => setTimeout(resolve, 50));
  equal(run.outputs.length, 1, "a paused process is not restarted");

  await run.supervisor.restart("restart requested");
  equal(run.outputs.length, 2);
  deepEqual(run.updates[4], {
    changes: { state: "restarting", pid: null },
    message: "ticker: restart requested; restarting",
  });
  equal(run.states().at(-1), "running");
  await run.until(() => run.lines.filter((line) => line === "ready").length === 2);
});

Deno.test("superviseProcess() start() waits for a service's /health", async () => {
  const port = freePort();
  await using run = await supervised(service(port), SERVE_UNTIL_MARKED);
  await run.supervisor.start();
  deepEqual(run.states(), ["starting", "running"]);
  const response = await fetch(`http://127.0.0.1:${port}/health`);
  equal(await response.text(), "ok");
});

Deno.test("superviseProcess() start() rejects and stops a service that never answers", async () => {
  await using run = await supervised(service(freePort()), IDLE, { healthTimeoutMs: 200 });
  await rejects(run.supervisor.start(), (error: unknown) => {
    ok(error instanceof NetScriptError);
    equal(error.code, "DEV_HEALTH_TIMEOUT");
    match(error.message, /^api did not answer \/health on port \d+ within 200 ms$/);
    return true;
  });
  equal((await run.supervisor.child!.status).signal, "SIGTERM");
  deepEqual(run.states(), ["starting"]);
});

Deno.test("superviseProcess() restart() reports a service that no longer gets healthy as failed", async () => {
  await using run = await supervised(service(freePort()), SERVE_UNTIL_MARKED);
  await run.supervisor.start();
  await Deno.writeTextFile(join(run.root, "marker"), "");
  await run.supervisor.restart();
  deepEqual(run.states(), ["starting", "running", "restarting", "starting", "failed"]);
  equal(run.updates[4]!.changes.pid, null);
  match(
    run.updates[4]!.message!,
    /^api exited before answering \/health on port \d+; see its output above$/,
  );
  equal((await run.supervisor.child!.status).code, 1);
});

Deno.test("superviseProcess() stop() kills a process that ignores SIGTERM after the grace", async () => {
  await using run = await supervised(
    processor(),
    `Deno.addSignalListener("SIGTERM", () => {});\n${IDLE}`,
    { graceMs: 100, crashPolicy: { backoffMs: 1 } },
  );
  await run.supervisor.start();
  await run.until(() => run.lines.includes("ready"));
  await run.supervisor.stop();
  equal((await run.supervisor.child!.status).signal, "SIGKILL");
  await run.supervisor.restart();
  deepEqual(run.states(), ["starting", "running"], "a stopped process is not restarted");
});

Deno.test("superviseProcess() restart() during a crash's backoff starts one process, not two", async () => {
  await using run = await supervised(processor(), CRASH_UNTIL_MARKED, {
    crashPolicy: { backoffMs: 600_000, maxBackoffMs: 600_000 },
  });
  await run.supervisor.start();
  await run.until(() => run.states().includes("restarting"));
  await Deno.writeTextFile(join(run.root, "marker"), "");
  await run.supervisor.restart();
  await run.until(() => run.lines.includes("ready"));
  deepEqual(run.states(), [
    "starting",
    "running",
    "restarting",
    "restarting",
    "starting",
    "running",
  ]);
  equal(run.outputs.length, 2, "the pending crash restart was cancelled");
});

Deno.test("superviseProcess() cancels a pending restart when its signal aborts", async () => {
  const controller = new AbortController();
  await using run = await supervised(processor(), "Deno.exit(1);", {
    signal: controller.signal,
    crashPolicy: { backoffMs: 600_000, maxBackoffMs: 600_000 },
  });
  await run.supervisor.start();
  await run.until(() => run.states().includes("restarting"));
  equal(run.updates.at(-1)!.message, "ticker exited with code 1; restarting in 600000 ms");
  controller.abort();
  await run.supervisor.restart();
  deepEqual(run.states(), ["starting", "running", "restarting"]);
  equal(run.outputs.length, 1);
  // The backoff timer is gone: the test's leak check fails otherwise.
});
