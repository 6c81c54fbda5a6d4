/**
 * Runs one benchmark server as a child process: `deno run` with the
 * target's narrow permissions on a free loopback port, stdout discarded,
 * stderr kept for its report and for diagnostics. Every child started here
 * is tracked, so the benchmark can kill them all when it is interrupted.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { readProcessCpuSeconds } from "./process_cpu.ts";
import { readServerReport, type ServerReport } from "./servers/server_protocol.ts";
import type { Target } from "./targets.ts";
import { LOOPBACK, PING_BODY, PING_PATH, PING_RESPONSE } from "./workload.ts";

/** A server process that answers the ping request. */
export interface ServerProcess extends AsyncDisposable {
  /** The URL of the ping procedure. */
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

/**
 * Starts a target's server and waits until it answers the ping request
 * with the expected body.
 *
 * @param target The server to start.
 * @returns The running server.
 */
export async function startServer(target: Target): Promise<ServerProcess> {
  const port = _freePort();
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--no-prompt",
      `--config=${CONFIG_PATH}`,
      ...target.permissions,
      fileURLToPath(target.script),
      ...target.args(port),
    ],
    env: { NO_COLOR: "1" },
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  running.add(child);
  const stderr = new Response(child.stderr).text();
  const url = new URL(`http://${LOOPBACK}:${port}${PING_PATH}`);
  let stopping: Promise<StoppedServer> | undefined;
  const stop = () => stopping ??= _stop(child, stderr);
  try {
    await _waitUntilReady(target, url, child, stderr);
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

function _freePort(): number {
  const listener = Deno.listen({ hostname: LOOPBACK, port: 0 });
  const { port } = listener.addr;
  listener.close();
  return port;
}

async function _waitUntilReady(
  target: Target,
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
        `The "${target.label}" server exited with code ${exit.code} before it answered:\n${await stderr}`,
      );
    }
    const answer = await _ping(url);
    if (answer?.status === 200 && answer.body === PING_RESPONSE) return;
    if (answer) {
      throw new Error(
        `The "${target.label}" server answered ${answer.status} ${answer.body} to the ping; expected 200 ${PING_RESPONSE}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
  }
  throw new Error(
    `The "${target.label}" server did not answer on ${url} within ${READY_TIMEOUT_MS / 1000} s`,
  );
}

async function _ping(url: URL): Promise<{ status: number; body: string } | undefined> {
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: PING_BODY,
    });
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
