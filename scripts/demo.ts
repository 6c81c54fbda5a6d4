/**
 * `deno task demo`: scaffolds a sample app into a temporary folder (SQLite
 * and Deno KV, so no server is needed; linked to this checkout; with the
 * sample `hello` plugin), runs it with `netscript dev`, which starts the
 * app's API, the plugin's API and the plugin's background processor as
 * three processes, each with only its own permissions, then prints where
 * everything is. Ctrl-C stops every process and removes the folder.
 *
 * It prints one line per phase. The app starts from this checkout's
 * `deno.lock`, so it runs the versions the checkout is tested with, all of
 * which `deno task` has downloaded before this script starts: the app's
 * processes download nothing more.
 *
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { findLauncher } from "../cli/src/dev/parent_death.ts";
import { CLI_PERMISSIONS } from "../cli/src/framework.ts";

const REPO = fileURLToPath(new URL("../", import.meta.url)).replace(/\/$/, "");
const CLI = ["run", "--quiet", ...CLI_PERMISSIONS, join(REPO, "cli", "main.ts")];

interface State {
  runner: number;
  resources: {
    name: string;
    kind: string;
    pid: number | null;
    port: number | null;
    state: string;
  }[];
}

const parent = await Deno.makeTempDir({ prefix: "netscript-demo-" });
const root = join(parent, "demo-app");
console.log(`Scaffolding a sample app into ${root} and generating its database client …`);
const init = await new Deno.Command(Deno.execPath(), {
  args: [
    ...CLI,
    "init",
    "demo-app",
    "--db",
    "sqlite",
    "--cache-backend",
    "deno-kv",
    "--no-aspire",
    "--link",
    REPO,
    "--plugins",
    join(REPO, "tests", "fixtures", "hello-plugin"),
  ],
  cwd: parent,
  stdin: "null",
}).output();
if (!init.success) {
  await Deno.remove(parent, { recursive: true });
  Deno.exit(init.code);
}

console.log("Fetching the app's dependencies (from the cache after the first run) …");
const cached = await _cacheDependencies();
if (!cached.success) {
  await Deno.remove(parent, { recursive: true });
  Deno.exit(cached.code);
}

console.log("Starting it with netscript dev …\n");
const launcher = await findLauncher();
const dev = new Deno.Command(launcher.command, {
  args: [...launcher.prefix, ...CLI, "dev"],
  cwd: root,
  stdin: "null",
}).spawn();

const stop = () => {
  try {
    dev.kill("SIGINT");
  } catch {
    // already exited
  }
};
Deno.addSignalListener("SIGINT", stop);
Deno.addSignalListener("SIGTERM", stop);

const ready = await _waitUntilRunning(dev);
if (ready !== undefined) _printGuide(ready, await _greet(ready), await _dashboard());
const status = await dev.status;
await Deno.remove(parent, { recursive: true });
Deno.exit(status.code);

/** Resolves with the state once every process runs, or `undefined` if the runner exits first. */
async function _waitUntilRunning(runner: Deno.ChildProcess): Promise<State | undefined> {
  let exited = false;
  runner.status.then(() => exited = true);
  while (!exited) {
    const state = await Deno.readTextFile(join(root, ".netscript/dev/state.json"))
      .then((text) => JSON.parse(text) as State, () => undefined);
    const processes = state?.resources.filter((r) => r.kind !== "store") ?? [];
    if (
      state?.runner === runner.pid && processes.length > 0 &&
      processes.every((r) => r.state === "running")
    ) return state;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return undefined;
}

/**
 * Pins the app to this checkout's lockfile, then caches the modules of its
 * services and processors, so that no process of the app downloads while it
 * starts. `--quiet` keeps Deno's line per package (and its notice about the
 * npm install scripts it does not run) out; errors still show.
 */
async function _cacheDependencies(): Promise<Deno.CommandStatus> {
  await Deno.copyFile(join(REPO, "deno.lock"), join(root, "deno.lock"));
  const modules = [
    ...await _modulesUnder(join(root, "services")),
    ...await _modulesUnder(join(root, "plugins")),
  ];
  return await new Deno.Command(Deno.execPath(), {
    args: ["cache", "--quiet", ...modules],
    cwd: root,
    stdin: "null",
  }).spawn().status;
}

/** The app's TypeScript modules under `directory`, leaving out tests. */
async function _modulesUnder(directory: string): Promise<string[]> {
  const modules: string[] = [];
  for await (const entry of Deno.readDir(directory)) {
    const path = join(directory, entry.name);
    if (entry.isDirectory) modules.push(...await _modulesUnder(path));
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith("_test.ts")) modules.push(path);
  }
  return modules;
}

/** The dashboard's URL, as the runner recorded it in its lock file. */
async function _dashboard(): Promise<string | undefined> {
  const lock = await Deno.readTextFile(join(root, ".netscript/dev/runner.lock"))
    .then((text) => JSON.parse(text) as { urls?: Record<string, string> }, () => undefined);
  return lock?.urls?.dashboard;
}

/** Calls the plugin's API once, to show a real answer. */
async function _greet(state: State): Promise<string> {
  const hello = state.resources.find((r) => r.name === "hello-api");
  const response = await fetch(`http://127.0.0.1:${hello?.port}/api/greet?name=NetScript`);
  return JSON.stringify(await response.json());
}

function _printGuide(state: State, greeting: string, dashboard: string | undefined): void {
  const port = (name: string) => state.resources.find((r) => r.name === name)?.port;
  const app = `http://127.0.0.1:${port("api")}`;
  const hello = `http://127.0.0.1:${port("hello-api")}`;
  console.log(`
NetScript demo: a scaffolded app in ${root}
runs as ${
    state.resources.filter((r) => r.kind !== "store").length
  } processes under netscript dev (runner pid ${state.runner}).

  Dashboard         ${dashboard ?? "(not running)"}  resources, logs, traces, plugin panels
  App API docs      ${app}/api/docs
  App OpenAPI       ${app}/api/openapi.json
  App health        ${app}/health
  Plugin API docs   ${hello}/api/docs
  Processor         hello-ticker (logs a tick every second, above)
  State file        ${join(root, ".netscript/dev/state.json")}

The plugin's API just answered ${greeting}. Try:

  curl -X POST ${app}/api/notes -H 'content-type: application/json' -d '{"text":"hello"}'
  curl '${app}/api/notes?limit=5'
  curl '${hello}/api/greet?name=Ada'
  kill -9 <the hello-ticker pid above>   # netscript dev restarts it; the APIs keep answering

Press Ctrl-C to stop every process.
`);
}
