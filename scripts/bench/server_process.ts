/**
 * Runs one benchmark server as a child process: `deno run` with the
 * server's narrow permissions on a free loopback port, stdout discarded,
 * stderr kept for its report and for diagnostics. Every child started here
 * is tracked, so the benchmark can kill them all when it is interrupted.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { traceExportEnv } from "../../cli/src/dev/trace_export.ts";
import { readProcessCpuSeconds } from "./process_cpu.ts";
import {
  AUTH_API_VARIABLES,
  formatServerArgs,
  readServerReport,
  type ServerReport,
} from "./servers/server_protocol.ts";
import type { OtlpSink, SignedInAuthApi, Target } from "./targets.ts";
import { LOOPBACK, PING_BODY, PING_PATH, PING_RESPONSE } from "./workload.ts";

/** A server process the benchmark started. */
export interface ServerProcess extends AsyncDisposable {
  /** The URL it was found ready on: the ping procedure's, for a target. */
  readonly url: URL;
  /**
   * The CPU seconds the server process has used so far.
   *
   * @returns The seconds, or `undefined` off Linux.
   */
  cpuSeconds(): Promise<number | undefined>;
  /**
   * Stops the server with SIGTERM (SIGKILL if it hangs) and reads its stderr.
   * Calling it again returns the same result.
   *
   * @returns What the server reported and its other stderr lines.
   */
  stop(): Promise<StoppedServer>;
}

/** What a stopped server left behind. */
export interface StoppedServer {
  /** The server's shutdown report. */
  report: ServerReport;
  /** Any other stderr lines: warnings from the runtime or libraries. */
  otherLines: string[];
}

const CONFIG_PATH = fileURLToPath(new URL("../../deno.json", import.meta.url));
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;
const RETRY_MS = 100;
const running = new Set<Deno.ChildProcess>();

/** How to start one server process and tell that it is ready. */
export interface ServerLaunch {
  /** The name in messages. */
  label: string;
  /** The server script. */
  script: URL;
  /** Deno permission flags of the child process. */
  permissions: readonly string[];
  /**
   * The flags after the script.
   *
   * @param port The free loopback port it is to listen on.
   * @returns The flags.
   */
  args(port: number): string[];
  /** Variables set for the child, on top of the benchmark's own. */
  env?: Record<string, string>;
  /** The loopback port to listen on; a free one when unset. */
  port?: number;
  /** The path asked until the server answers. */
  readyPath: string;
  /** The request sent to it. */
  readyRequest: RequestInit;
  /** The status that says it is ready. */
  readyStatus: number;
  /** The body that must come with it, if any particular one. */
  readyBody?: string;
}

/** What a target's server is started with besides the target itself. */
export interface StartServerOptions {
  /** The running `auth-api`, which a guarded target needs. */
  auth?: SignedInAuthApi | undefined;
  /** The base URL of the OTLP receiver, for a target with a sink. */
  traceEndpoint?: string | undefined;
}

/**
 * Starts a target's server and waits until it answers the ping request
 * with the expected body. A guarded target gets the workspace's secret and
 * the session cookie on its readiness ping; a target with a sink gets the
 * variables that make Deno export its spans to `traceEndpoint`.
 *
 * @param target The server to start.
 * @param options The running `auth-api` and the OTLP receiver's URL.
 * @returns The running server; its `url` is the ping URL.
 */
export function startServer(
  target: Target,
  options: StartServerOptions = {},
): Promise<ServerProcess> {
  const { auth, traceEndpoint } = options;
  const guarded = target.guarded === true && auth !== undefined;
  return launchServer({
    label: target.label,
    script: target.script,
    permissions: target.permissions,
    args: (port) => target.args(port, auth),
    env: {
      ...(guarded ? { [AUTH_API_VARIABLES.serviceSecret]: auth.serviceSecret } : {}),
      ...(traceEndpoint === undefined ? {} : traceExportEnv(traceEndpoint)),
    },
    readyPath: PING_PATH,
    readyRequest: {
      method: "POST",
      headers: { "content-type": "application/json", ...(guarded ? { cookie: auth.cookie } : {}) },
      body: PING_BODY,
    },
    readyStatus: 200,
    readyBody: PING_RESPONSE,
  });
}

/**
 * Starts an OTLP/HTTP receiver and waits until it accepts an empty trace
 * export the way a collector does: 200 with an empty body.
 *
 * @param sink The receiver to start.
 * @returns The running receiver; its `url` is its `/v1/traces` URL.
 */
export function startSink(sink: OtlpSink): Promise<ServerProcess> {
  return launchServer({
    label: sink.label,
    script: sink.script,
    permissions: sink.permissions,
    args: (port) => formatServerArgs(port),
    readyPath: "/v1/traces",
    readyRequest: { method: "POST", headers: { "content-type": "application/x-protobuf" } },
    readyStatus: 200,
    readyBody: "",
  });
}

/**
 * Starts a server process on a free loopback port and waits until it
 * answers its readiness request as expected.
 *
 * @param launch The process and its readiness request.
 * @returns The running server; its `url` is the readiness URL.
 * @throws {Error} When the process exits first, answers something else, or takes over 60 s.
 */
export async function launchServer(launch: ServerLaunch): Promise<ServerProcess> {
  const port = launch.port ?? freePort();
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--no-prompt",
      `--config=${CONFIG_PATH}`,
      ...launch.permissions,
      fileURLToPath(launch.script),
      ...launch.args(port),
    ],
    env: { NO_COLOR: "1", ...launch.env },
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  running.add(child);
  const stderr = new Response(child.stderr).text();
  const url = new URL(`http://${LOOPBACK}:${port}${launch.readyPath}`);
  let stopping: Promise<StoppedServer> | undefined;
  const stop = () => stopping ??= _stop(child, stderr);
  try {
    await _waitUntilReady(launch, url, child, stderr);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url,
    cpuSeconds: () => readProcessCpuSeconds(child.pid),
    stop,
    [Symbol.asyncDispose]: async () => void await stop(),
  };
}

/** Kills every server still running, at once; for signal handlers. */
export function killAllServers(): void {
  for (const child of running) _kill(child, "SIGKILL");
  running.clear();
}

function _kill(child: Deno.ChildProcess, signal: Deno.Signal): void {
  try {
    child.kill(signal);
  } catch (error) {
    // A TypeError means the child has already exited, which is what was wanted.
    if (!(error instanceof TypeError)) throw error;
  }
}

/**
 * Finds a loopback port that is free now.
 *
 * @returns The port.
 */
export function freePort(): number {
  const listener = Deno.listen({ hostname: LOOPBACK, port: 0 });
  const { port } = listener.addr;
  listener.close();
  return port;
}

async function _waitUntilReady(
  launch: ServerLaunch,
  url: URL,
  child: Deno.ChildProcess,
  stderr: Promise<string>,
): Promise<void> {
  let exit: Deno.CommandStatus | undefined;
  child.status.then((status) => exit = status);
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exit) {
      throw new Error(
        `The "${launch.label}" server exited with code ${exit.code} before it answered:\n${await stderr}`,
      );
    }
    const answer = await _ask(url, launch.readyRequest);
    const expected = launch.readyBody;
    if (answer?.status === launch.readyStatus && (expected ?? answer.body) === answer.body) return;
    if (answer) {
      throw new Error(
        `The "${launch.label}" server answered ${answer.status} ${answer.body} to ${launch.readyPath}; expected ${launch.readyStatus} ${
          expected ?? ""
        }`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
  }
  throw new Error(
    `The "${launch.label}" server did not answer on ${url} within ${READY_TIMEOUT_MS / 1000} s`,
  );
}

async function _ask(
  url: URL,
  init: RequestInit,
): Promise<{ status: number; body: string } | undefined> {
  try {
    const response = await fetch(url, init);
    return { status: response.status, body: await response.text() };
  } catch (error) {
    if (error instanceof TypeError) return undefined;
    throw error;
  }
}

async function _stop(child: Deno.ChildProcess, stderr: Promise<string>): Promise<StoppedServer> {
  _kill(child, "SIGTERM");
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hung = new Promise<true>((resolve) => {
    timer = setTimeout(() => resolve(true), STOP_TIMEOUT_MS);
  });
  const killed = await Promise.race([child.status.then(() => false), hung]);
  clearTimeout(timer);
  if (killed) _kill(child, "SIGKILL");
  await child.status;
  running.delete(child);
  const stopped = readServerReport(await stderr);
  if (killed) {
    stopped.otherLines.push(`did not stop within ${STOP_TIMEOUT_MS / 1000} s of SIGTERM; killed`);
  }
  return stopped;
}
