/**
 * The systems `deno task bench:streams` compares, each run as its own
 * process on a free loopback port with a fresh store: the Durable Streams
 * reference server (Node, file-backed) and `streams-api` on PostgreSQL and
 * on Deno KV. Every process started here is tracked, so an interrupted
 * benchmark can kill them all.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { type BenchStore, openFolderStore, openPostgresStore } from "./stores.ts";

/** Which system. */
export type SystemId = "reference" | "netscript-postgres" | "netscript-kv";

/** A system to measure. */
export interface System {
  /** Its id, for `--systems`. */
  readonly id: SystemId;
  /** Its name in the report. */
  readonly label: string;
}

/** Every system, the reference first. */
export const SYSTEMS: readonly System[] = [
  { id: "reference", label: "@durable-streams/server 0.3.7 (Node, file)" },
  { id: "netscript-postgres", label: "streams-api, Postgres" },
  { id: "netscript-kv", label: "streams-api, Deno KV" },
];

/** A running system. */
export interface RunningSystem extends AsyncDisposable {
  /** The base URL of its streams, e.g. `http://127.0.0.1:4437/v1/stream/`. */
  readonly streams: string;
}

/** The reference server's npm project: `package.json` and its lockfile. */
export const REFERENCE_DIR: URL = new URL("../durable_streams/", import.meta.url);
/**
 * The reference server's entry, run by `node --input-type=module` in
 * {@linkcode REFERENCE_DIR}: file-backed, on `127.0.0.1:$PORT` with its
 * data in `$DATA_DIR`; it stops on SIGTERM.
 */
const REFERENCE_SERVER = `
import { DurableStreamTestServer } from "@durable-streams/server";
const server = new DurableStreamTestServer({
  host: "127.0.0.1",
  port: Number(process.env.PORT),
  dataDir: process.env.DATA_DIR,
  longPollTimeout: Number(process.env.LONG_POLL_MS),
});
await server.start();
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => server.stop().then(() => process.exit(0)));
}
`;
const NETSCRIPT_SERVER = fileURLToPath(new URL("./netscript_server.ts", import.meta.url));
const CONFIG_PATH = fileURLToPath(new URL("../../../deno.json", import.meta.url));
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;
/** How long a live read waits on every server, as in the conformance runs. */
const LONG_POLL_MS = 30_000;
const running = new Set<Deno.ChildProcess>();
const stores = new Set<BenchStore>();

/**
 * Installs the reference server from its lockfile unless it is installed.
 *
 * @throws {Error} When `npm ci` fails.
 */
export async function installReference(): Promise<void> {
  try {
    await Deno.stat(new URL("node_modules/@durable-streams/server/", REFERENCE_DIR));
    return;
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  const output = await new Deno.Command("npm", {
    args: ["ci", "--no-audit", "--no-fund", "--ignore-scripts"],
    cwd: REFERENCE_DIR,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!output.success) {
    throw new Error(
      `npm ci in scripts/bench/durable_streams failed:\n${new TextDecoder().decode(output.stderr)}`,
    );
  }
}

/**
 * Starts a system with a fresh store and waits until it answers.
 *
 * @param system The system.
 * @returns The running system; dispose of it to stop it and remove its store.
 */
export async function startSystem(system: System): Promise<RunningSystem> {
  const store = system.id === "netscript-postgres"
    ? await openPostgresStore()
    : await openFolderStore(`netscript-bench-streams-${system.id}-`);
  stores.add(store);
  const dispose = async () => {
    if (stores.delete(store)) await store[Symbol.asyncDispose]();
  };
  const port = _freePort();
  let child: Deno.ChildProcess;
  try {
    child = _spawn(system.id, store, port);
  } catch (error) {
    await dispose();
    throw error;
  }
  running.add(child);
  const stderr = new Response(child.stderr).text();
  const stop = async () => {
    await _stop(child);
    running.delete(child);
    await dispose();
  };
  const base = `http://127.0.0.1:${port}`;
  try {
    await _waitUntilReady(system, base, child, stderr);
  } catch (error) {
    await stop();
    throw error;
  }
  return { streams: `${base}/v1/stream/`, [Symbol.asyncDispose]: stop };
}

/**
 * Kills every process still running, at once, then removes their stores;
 * for signal handlers and failures.
 */
export async function abandonAllSystems(): Promise<void> {
  for (const child of running) _kill(child, "SIGKILL");
  await Promise.all([...running].map((child) => child.status));
  running.clear();
  const left = [...stores];
  stores.clear();
  await Promise.allSettled(left.map((store) => store[Symbol.asyncDispose]()));
}

function _spawn(id: SystemId, store: BenchStore, port: number): Deno.ChildProcess {
  if (id === "reference") {
    return new Deno.Command("node", {
      args: ["--input-type=module", "--eval", REFERENCE_SERVER],
      cwd: REFERENCE_DIR,
      env: { PORT: String(port), DATA_DIR: store.location, LONG_POLL_MS: String(LONG_POLL_MS) },
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).spawn();
  }
  const storeEnv: Record<string, string> = id === "netscript-postgres"
    ? { STREAMS_STORE: "postgres", DATABASE_URL: store.location }
    : {
      STREAMS_STORE: "kv",
      STREAMS_KV_PATH: `${store.location}/streams.kv`,
      NETSCRIPT_CONFIG_KV_PATH: `${store.location}/config.kv`,
    };
  return new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      "--no-prompt",
      `--config=${CONFIG_PATH}`,
      "--allow-net",
      "--allow-env",
      "--allow-read",
      "--allow-write",
      "--unstable-kv",
      NETSCRIPT_SERVER,
    ],
    env: {
      ...storeEnv,
      NO_COLOR: "1",
      PORT: String(port),
      STREAMS_LOG_LEVEL: "warn",
      STREAMS_LONG_POLL_MS: String(LONG_POLL_MS),
    },
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
}

function _freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr;
  listener.close();
  return port;
}

async function _waitUntilReady(
  system: System,
  base: string,
  child: Deno.ChildProcess,
  stderr: Promise<string>,
): Promise<void> {
  let exit: Deno.CommandStatus | undefined;
  child.status.then((status) => exit = status);
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exit) {
      throw new Error(
        `${system.label} exited with code ${exit.code} before it answered:\n${await stderr}`,
      );
    }
    try {
      const response = await fetch(`${base}/v1/stream/bench-ready`, { method: "HEAD" });
      await response.body?.cancel();
      return;
    } catch (error) {
      if (!(error instanceof TypeError)) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${system.label} did not answer on ${base} within ${READY_TIMEOUT_MS / 1000} s`);
}

function _kill(child: Deno.ChildProcess, signal: Deno.Signal): void {
  try {
    child.kill(signal);
  } catch (error) {
    // A TypeError means the child has already exited, which is what was wanted.
    if (!(error instanceof TypeError)) throw error;
  }
}

async function _stop(child: Deno.ChildProcess): Promise<void> {
  _kill(child, "SIGTERM");
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hung = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      _kill(child, "SIGKILL");
      resolve();
    }, STOP_TIMEOUT_MS);
  });
  await Promise.race([child.status, hung]);
  clearTimeout(timer);
  await child.status;
}
