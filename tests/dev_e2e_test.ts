/**
 * End to end: `netscript dev` runs a scaffolded workspace's app service and
 * a plugin's service and processor as separate processes, restarts a killed
 * processor while the APIs keep answering, and leaves nothing behind on SIGINT.
 */
import { spawnDevJson, spawnDevRunner } from "./support/dev_slot.ts";
import { deepEqual, equal, ok } from "node:assert/strict";
import { join } from "node:path";
import { type ResourceState, stopLeftovers } from "../cli/src/dev/run_resources.ts";
import {
  cliProcessArgs,
  devReady,
  initLinkedWorkspace,
  netscriptProcess,
  REPO_ROOT,
} from "./support/cli.ts";

const HELLO = join(REPO_ROOT, "tests", "fixtures", "hello-plugin");

async function readState(root: string): Promise<ResourceState[]> {
  try {
    return JSON.parse(await Deno.readTextFile(join(root, ".netscript/dev/state.json"))).resources;
  } catch {
    return [];
  }
}

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Whether a process runs (a zombie, exited but not yet reaped, does not). */
function alive(pid: number): boolean {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

Deno.test("netscript dev runs every resource, restarts a killed processor, and stops them all", async () => {
  const parent = await Deno.makeTempDir({ prefix: "netscript-dev-" });
  const root = await initLinkedWorkspace(parent, ["--plugins", HELLO]);
  const dev = await spawnDevJson(root);
  const stdout = new Response(dev.stdout).text();
  const stderr = new Response(dev.stderr).text();
  let pids: number[] = [];
  try {
    const running = await until("every resource running", async () => {
      const states = await readState(root);
      const processes = states.filter((s) => s.kind !== "store");
      return processes.length === 3 && processes.every((s) => s.state === "running")
        ? states
        : undefined;
    });
    deepEqual(running.map((s) => [s.name, s.kind]), [
      ["db", "store"],
      ["cache", "store"],
      ["api", "service"],
      ["hello-api", "service"],
      ["hello-ticker", "processor"],
    ]);
    ok(running[2]!.port! >= 3000, "the app service is on 3000, or the next free port");
    ok(
      running[3]!.port! >= 8190,
      "the plugin service is on its manifest port, or the next free one",
    );
    const api = running.find((s) => s.name === "api")!;
    const helloApi = running.find((s) => s.name === "hello-api")!;
    const ticker = running.find((s) => s.name === "hello-ticker")!;
    pids = running.filter((s) => s.pid !== null).map((s) => s.pid!);
    equal(new Set(pids).size, 3, "each resource is its own process");

    const health = await fetch(`http://127.0.0.1:${api.port}/health`);
    equal(health.status, 200);
    await health.body?.cancel();

    Deno.kill(ticker.pid!, "SIGKILL");
    const restarted = await until("the ticker restarted", async () => {
      const state = (await readState(root)).find((s) => s.name === "hello-ticker");
      return state && state.restarts === 1 && state.state === "running" ? state : undefined;
    });
    ok(restarted.pid !== ticker.pid);
    pids.push(restarted.pid!);
    const greeting = await fetch(`http://127.0.0.1:${helloApi.port}/api/greet?name=Ada`);
    deepEqual(await greeting.json(), { message: "Hello, Ada" }, "the API kept answering");

    dev.kill("SIGINT");
    const status = await dev.status;
    equal(status.code, 0, await stderr);
    for (const pid of pids) ok(!alive(pid), `process ${pid} is gone`);
    const final = await readState(root);
    ok(final.filter((s) => s.kind !== "store").every((s) => s.state === "stopped"));
    const events = (await stdout).trim().split("\n").map((line) => JSON.parse(line));
    ok(events.some((e) => e.event === "ready"));
    ok(
      events.some((e) =>
        e.event === "state" && e.name === "hello-ticker" && e.state === "restarting"
      ),
    );
  } finally {
    try {
      dev.kill("SIGKILL");
    } catch {
      // already exited
    }
    await dev.status;
    await stdout;
    await stderr;
    for (const pid of pids) if (alive(pid)) Deno.kill(pid, "SIGKILL");
    await Deno.remove(parent, { recursive: true });
  }
});

Deno.test("a resource that reaches outside its permissions is refused", async () => {
  const parent = await Deno.makeTempDir({ prefix: "netscript-dev-" });
  try {
    const root = await initLinkedWorkspace(parent);
    const { buildResourceGraph, composeRegistry, defineConfig } = await import("@netscript/plugin");
    const graph = buildResourceGraph(
      defineConfig({
        db: { engine: "sqlite" },
        cache: { backend: "deno-kv" },
        plugins: [],
        aspire: false,
      }),
      composeRegistry([]),
    );
    const api = graph.resources.find((r) => r.name === "api");
    ok(api && api.kind === "service");
    await Deno.writeTextFile(join(root, "snoop.ts"), 'await Deno.readTextFile("/etc/hostname");\n');
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--no-prompt", ...api.flags, "snoop.ts"],
      cwd: root,
      env: { NO_COLOR: "1" },
    }).output();
    equal(out.success, false);
    ok(
      /NotCapable|PermissionDenied|Requires read access/.test(new TextDecoder().decode(out.stderr)),
    );
  } finally {
    await Deno.remove(parent, { recursive: true });
  }
});

Deno.test("a runner killed with SIGKILL takes every process with it", async () => {
  const parent = await Deno.makeTempDir({ prefix: "netscript-dev-" });
  const root = await initLinkedWorkspace(parent, ["--plugins", HELLO]);
  const runner = await spawnDevRunner(
    new Deno.Command(Deno.execPath(), {
      args: cliProcessArgs("dev", "--json"),
      cwd: root,
      env: { NO_COLOR: "1" },
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }),
  );
  let pids: number[] = [];
  try {
    pids = await until("every resource running", async () => {
      const processes = (await readState(root)).filter((s) => s.kind !== "store");
      return processes.length === 3 && processes.every((s) => s.state === "running" && s.pid)
        ? processes.map((s) => s.pid!)
        : undefined;
    });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    for (const pid of pids) ok(alive(pid), `process ${pid} runs while its runner does`);
    runner.kill("SIGKILL");
    await runner.status;
    await until(
      "every child gone",
      () => Promise.resolve(pids.some((pid) => alive(pid)) ? undefined : true),
      15_000,
    );
  } finally {
    try {
      runner.kill("SIGKILL");
    } catch {
      // already exited
    }
    await runner.status;
    for (const pid of pids) if (alive(pid)) Deno.kill(pid, "SIGKILL");
    await Deno.remove(parent, { recursive: true });
  }
});

Deno.test("stopLeftovers() stops the processes of a runner that no longer runs", async () => {
  const root = await Deno.makeTempDir({ prefix: "netscript-dev-" });
  const leftover = new Deno.Command(Deno.execPath(), {
    args: ["eval", "setInterval(() => {}, 1000)"],
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  const gone = new Deno.Command("true").spawn();
  await gone.status;
  try {
    await Deno.mkdir(join(root, ".netscript/dev"), { recursive: true });
    await Deno.writeTextFile(
      join(root, ".netscript/dev/state.json"),
      JSON.stringify({ runner: gone.pid, resources: [{ name: "api", pid: leftover.pid }] }),
    );
    deepEqual(await stopLeftovers(root), [leftover.pid]);
    const status = await leftover.status;
    equal(status.signal, "SIGTERM");
    deepEqual(await stopLeftovers(root), [], "nothing left the second time");
  } finally {
    try {
      leftover.kill("SIGKILL");
    } catch {
      // already exited
    }
    await leftover.status;
    await Deno.remove(root, { recursive: true });
  }
});

/** A resource as the `ready` event describes it. */
type ReadyResource = ResourceState & {
  url?: string;
  docs?: string;
  health?: string;
  moved?: { from: number; reason: string };
};

/** Starts `netscript dev --json` with `extra` flags in `root` and waits until every process runs. */
async function startDev(
  root: string,
  extra: string[] = [],
): Promise<{ dev: Deno.ChildProcess; states: ReadyResource[] }> {
  const dev = await spawnDevJson(root, extra);
  const stderr = new Response(dev.stderr).text();
  const states = await devReady(dev, stderr);
  const processes = states.filter((s) => s.kind !== "store");
  equal(processes.length, 3);
  ok(processes.every((s) => s.state === "running" && s.pid), "every process runs");
  return { dev, states };
}

/** Stops a runner with SIGINT and checks it exits cleanly. */
async function stopDev(dev: Deno.ChildProcess): Promise<void> {
  try {
    dev.kill("SIGINT");
  } catch {
    // already exited
  }
  await dev.status;
}

Deno.test("killing a processor under load fails no API request", async () => {
  const parent = await Deno.makeTempDir({ prefix: "netscript-dev-" });
  const root = await initLinkedWorkspace(parent, ["--plugins", HELLO]);
  const { dev, states } = await startDev(root);
  try {
    const helloApi = states.find((s) => s.name === "hello-api")!;
    const ticker = states.find((s) => s.name === "hello-ticker")!;
    let ok200 = 0;
    const failures: string[] = [];
    let loading = true;
    const client = async () => {
      while (loading) {
        try {
          const response = await fetch(`http://127.0.0.1:${helloApi.port}/api/greet?name=Ada`);
          if (response.status === 200) ok200++;
          else failures.push(`status ${response.status}`);
          await response.body?.cancel();
        } catch (error) {
          failures.push(String(error));
        }
      }
    };
    const clients = Array.from({ length: 8 }, client);
    await new Promise((resolve) => setTimeout(resolve, 500));
    Deno.kill(ticker.pid!, "SIGKILL");
    const restarted = await until("the processor restarted", async () => {
      const state = (await readState(root)).find((s) => s.name === "hello-ticker");
      return state?.state === "running" && state.restarts === 1 ? state : undefined;
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    loading = false;
    await Promise.all(clients);
    deepEqual(failures, [], "no request failed");
    ok(ok200 > 50, `the API answered under load (${ok200} requests)`);
    ok(restarted.pid !== ticker.pid);
    equal(
      (await readState(root)).find((s) => s.name === "hello-api")!.pid,
      helloApi.pid,
      "the API was never restarted",
    );
  } finally {
    await stopDev(dev);
    await Deno.remove(parent, { recursive: true });
  }
});

Deno.test("netscript dev --watch restarts the processes whose files changed", async () => {
  const parent = await Deno.makeTempDir({ prefix: "netscript-dev-" });
  const root = await initLinkedWorkspace(parent, ["--plugins", HELLO]);
  const { dev, states } = await startDev(root, ["--watch"]);
  try {
    const before = new Map(states.map((s) => [s.name, s.pid]));
    await Deno.writeTextFile(
      join(root, "plugins/hello/services/main.ts"),
      "// edited\n",
      { append: true },
    );
    const after = await until("the plugin's processes restarted", async () => {
      const now = await readState(root);
      const moved = (name: string) => {
        const state = now.find((s) => s.name === name)!;
        return state.state === "running" && state.pid !== null && state.pid !== before.get(name);
      };
      return moved("hello-api") && moved("hello-ticker") ? now : undefined;
    });
    const api = after.find((s) => s.name === "api")!;
    equal(api.pid, before.get("api"), "the app's service was left alone");
    const helloApi = after.find((s) => s.name === "hello-api")!;
    equal(helloApi.restarts, 0, "a restart for changed files is not a crash");
    const greeting = await fetch(`http://127.0.0.1:${helloApi.port}/api/greet?name=Ada`);
    deepEqual(await greeting.json(), { message: "Hello, Ada" });
  } finally {
    await stopDev(dev);
    await Deno.remove(parent, { recursive: true });
  }
});

Deno.test("a repeated Ctrl-C (as under deno task) still stops every process in order", async () => {
  const parent = await Deno.makeTempDir({ prefix: "netscript-dev-" });
  const root = await initLinkedWorkspace(parent, ["--plugins", HELLO]);
  const { dev, states } = await startDev(root);
  try {
    dev.kill("SIGINT");
    dev.kill("SIGINT");
    equal((await dev.status).code, 0);
    const final = await readState(root);
    ok(final.filter((s) => s.kind !== "store").every((s) => s.state === "stopped"));
    for (const state of states) if (state.pid) ok(!alive(state.pid), `${state.name} is gone`);
  } finally {
    await stopDev(dev);
    await Deno.remove(parent, { recursive: true });
  }
});

Deno.test("one netscript dev per workspace: a second is refused, a killed runner's lock is taken over", async () => {
  const parent = await Deno.makeTempDir({ prefix: "netscript-dev-" });
  const root = await initLinkedWorkspace(parent, ["--plugins", HELLO]);
  // Holds hello-api's manifest port. Another test file may hold it for a
  // moment (and free it before the runner looks), so wait until this test does.
  const blocker = await until(
    "port 8190 held by the test",
    () =>
      Promise.resolve().then(() => Deno.listen({ hostname: "0.0.0.0", port: 8190 })).catch(() =>
        undefined
      ),
    30_000,
  );
  const { dev: first, states } = await startDev(root);
  let second: Deno.ChildProcess | undefined;
  const pids = states.filter((s) => s.pid !== null).map((s) => s.pid!);
  try {
    const helloApi = states.find((s) => s.name === "hello-api")!;
    ok(helloApi.port !== 8190);
    deepEqual(helloApi.moved, { from: 8190, reason: "port taken" });
    equal(helloApi.docs, `http://127.0.0.1:${helloApi.port}/api/docs`);
    equal(helloApi.health, `http://127.0.0.1:${helloApi.port}/health`);
    const api = states.find((s) => s.name === "api")!;
    equal(api.docs, `http://127.0.0.1:${api.port}/api/docs`);

    const refused = await netscriptProcess(root, ["dev", "--json"]);
    equal(refused.code, 1, refused.stderr);
    const { error } = JSON.parse(refused.stdout);
    equal(error.code, "DEV_ALREADY_RUNNING");
    equal(error.details.pid, first.pid);
    equal(error.details.urls["hello-api"], helloApi.url);
    ok(error.message.includes(`pid ${first.pid}`), error.message);
    const human = await netscriptProcess(root, ["dev"]);
    equal(human.code, 1);
    ok(human.stderr.includes("error[DEV_ALREADY_RUNNING]"), human.stderr);
    ok(human.stderr.includes(`hello-api ${helloApi.url}`), human.stderr);
    for (const pid of pids) ok(alive(pid), "the refused start touched nothing of the first");

    first.kill("SIGKILL");
    await first.status;
    const next = await startDev(root);
    second = next.dev;
    pids.push(...next.states.filter((s) => s.pid !== null).map((s) => s.pid!));
    const lock = JSON.parse(await Deno.readTextFile(join(root, ".netscript/dev/runner.lock")));
    equal(lock.pid, second.pid, "the new runner took the lock over");
    await stopDev(second);
    equal((await second.status).code, 0);
    await until(
      "the lock released",
      () => Deno.stat(join(root, ".netscript/dev/runner.lock")).then(() => undefined, () => true),
      5_000,
    );
  } finally {
    blocker.close();
    await stopDev(first);
    if (second) await stopDev(second);
    for (const pid of pids) if (alive(pid)) Deno.kill(pid, "SIGKILL");
    await Deno.remove(parent, { recursive: true });
  }
});

/** A process's environment, from `/proc/<pid>/environ`. */
async function environmentOf(pid: number): Promise<Map<string, string>> {
  const text = await Deno.readTextFile(`/proc/${pid}/environ`);
  return new Map(
    text.split("\0").filter((entry) => entry !== "").map((entry) => {
      const at = entry.indexOf("=");
      return [entry.slice(0, at), entry.slice(at + 1)];
    }),
  );
}

Deno.test("every process exports its spans to the dashboard; --no-dashboard turns both off", async () => {
  const parent = await Deno.makeTempDir({ prefix: "netscript-dev-" });
  try {
    const root = await initLinkedWorkspace(parent, ["--plugins", HELLO]);
    const refused = await netscriptProcess(root, ["dev", "--dashboard", "nonsense"]);
    equal(refused.code, 1);
    ok(refused.stderr.includes("DEV_INVALID_DASHBOARD_PORT"), refused.stderr);

    const withDashboard = await startDev(root);
    try {
      for (const state of withDashboard.states.filter((s) => s.kind !== "store")) {
        const env = await environmentOf(state.pid!);
        equal(env.get("OTEL_DENO"), "true", state.name);
        ok(
          env.get("OTEL_EXPORTER_OTLP_ENDPOINT")?.startsWith("http://127.0.0.1:"),
          `${state.name} exports to the dashboard`,
        );
      }
    } finally {
      await stopDev(withDashboard.dev);
    }

    const without = await startDev(root, ["--no-dashboard"]);
    try {
      for (const state of without.states.filter((s) => s.kind !== "store")) {
        const env = await environmentOf(state.pid!);
        equal(env.get("OTEL_DENO"), undefined, state.name);
        equal(env.get("OTEL_EXPORTER_OTLP_ENDPOINT"), undefined, state.name);
      }
    } finally {
      await stopDev(without.dev);
    }
  } finally {
    await Deno.remove(parent, { recursive: true });
  }
});
