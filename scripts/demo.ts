/**
 * `deno task demo`: scaffolds a sample app into a temporary folder (SQLite
 * and Deno KV, so no server is needed; linked to this checkout; with the
 * sample `hello` plugin), runs it with `netscript dev`, which starts the
 * app's API, the plugin's API and the plugin's background processor as
 * three processes, each with only its own permissions, then prints where
 * everything is. Ctrl-C stops every process and removes the folder.
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
console.log(`Scaffolding a sample app into ${root} …`);
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
if (ready !== undefined) _printGuide(ready, await _greet(ready));
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

/** Calls the plugin's API once, to show a real answer. */
async function _greet(state: State): Promise<string> {
  const hello = state.resources.find((r) => r.name === "hello-api");
  const response = await fetch(`http://localhost:${hello?.port}/api/greet?name=NetScript`);
  return JSON.stringify(await response.json());
}

function _printGuide(state: State, greeting: string): void {
  const port = (name: string) => state.resources.find((r) => r.name === name)?.port;
  const app = `http://localhost:${port("api")}`;
  const hello = `http://localhost:${port("hello-api")}`;
  console.log(`
NetScript demo: a scaffolded app in ${root}
runs as ${
    state.resources.filter((r) => r.kind !== "store").length
  } processes under netscript dev (runner pid ${state.runner}).

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
