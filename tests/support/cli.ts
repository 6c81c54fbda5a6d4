/**
 * Runs the `netscript` CLI in-process with captured output, for tests.
 *
 * @module
 */
import { runCli } from "../../cli/main.ts";
import { CLI_PERMISSIONS } from "../../cli/src/framework.ts";
import { eachLine } from "../../cli/src/dev/each_line.ts";
import type { ResourceState } from "../../cli/src/dev/run_resources.ts";

/** What one CLI run printed and returned. */
export interface CliRun {
  /** The exit code. */
  code: number;
  /** Everything written to stdout. */
  stdout: string;
  /** Everything written to stderr. */
  stderr: string;
}

/**
 * Runs `netscript <args>` in `cwd`.
 *
 * @param args The arguments.
 * @param cwd The working directory.
 * @returns The exit code and output.
 */
export async function netscript(args: readonly string[], cwd: string): Promise<CliRun> {
  const decoder = new TextDecoder();
  let stdout = "";
  let stderr = "";
  const stream = (append: (text: string) => void) => ({
    writeSync(data: Uint8Array) {
      append(decoder.decode(data));
      return data.length;
    },
    isTerminal: () => false,
  });
  const code = await runCli(args, {
    cwd,
    streams: {
      stdout: stream((t) => stdout += t),
      stderr: stream((t) => stderr += t),
    },
  });
  return { code, stdout, stderr };
}

/** The repository root, for `--link`. */
export const REPO_ROOT: string = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");

/**
 * Lists every file under a folder with its content, for "nothing changed" assertions.
 *
 * @param root The folder.
 * @returns Contents by relative path (empty when the folder does not exist).
 */
export async function snapshotTree(root: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  const walk = async (dir: string, prefix: string) => {
    for await (const entry of Deno.readDir(dir)) {
      const path = `${prefix}${entry.name}`;
      if (entry.isDirectory) await walk(`${dir}/${entry.name}`, `${path}/`);
      else files[path] = await Deno.readTextFile(`${dir}/${entry.name}`);
    }
  };
  try {
    await walk(root, "");
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return files;
}

/**
 * Runs `netscript init app --db sqlite --cache-backend deno-kv --no-aspire
 * --link <repo>` in `parent` and fails when it does not succeed.
 *
 * @param parent The folder to create `app` in.
 * @param extra More `init` flags, e.g. `["--plugins", path]`.
 * @returns The workspace root.
 */
export async function initLinkedWorkspace(
  parent: string,
  extra: readonly string[] = [],
): Promise<string> {
  const run = await netscript(
    [
      "init",
      "app",
      "--db",
      "sqlite",
      "--cache-backend",
      "deno-kv",
      "--no-aspire",
      "--link",
      REPO_ROOT,
      ...extra,
    ],
    parent,
  );
  if (run.code !== 0) throw new Error(`netscript init failed: ${run.stderr}`);
  return `${parent}/app`;
}

/** The permissions a workspace's `deno task netscript` grants the CLI. */
export { CLI_PERMISSIONS };

/**
 * The `deno` arguments that run the CLI as a real process, as a workspace's
 * `deno task netscript` does.
 *
 * @param args The CLI's arguments.
 * @returns The arguments after `deno`.
 */
export function cliProcessArgs(...args: string[]): string[] {
  return ["run", "--quiet", ...CLI_PERMISSIONS, `${REPO_ROOT}/cli/main.ts`, ...args];
}

/**
 * Runs the CLI as a real process and waits for it.
 *
 * @param cwd The working directory.
 * @param args The CLI's arguments.
 * @param env Extra environment variables.
 * @returns The exit code and output.
 */
export async function netscriptProcess(
  cwd: string,
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<CliRun> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: cliProcessArgs(...args),
    cwd,
    env: { NO_COLOR: "1", ...env },
  }).output();
  const decoder = new TextDecoder();
  return { code: out.code, stdout: decoder.decode(out.stdout), stderr: decoder.decode(out.stderr) };
}

/** The `ready` event of `netscript dev --json`. */
export interface DevReadyEvent {
  /** The resource table. */
  resources: ResourceState[];
  /** The dashboard's URL, unless it runs with `--no-dashboard`. */
  dashboard?: string;
}

/**
 * Waits for the `ready` event of `netscript dev --json` (under `--watch`,
 * sent once the watcher is in place) while draining its stdout to the end.
 * If the runner ends or times out first, it is killed and the error carries
 * what it printed on stderr.
 *
 * @param dev The runner, started with piped stdout and stderr.
 * @param stderr The runner's stderr, being read to its end.
 * @param timeoutMs How long to wait.
 * @returns The resource table the event carries.
 */
export async function devReady(
  dev: Deno.ChildProcess,
  stderr: Promise<string>,
  timeoutMs = 60_000,
): Promise<ResourceState[]> {
  return (await devReadyEvent(dev, stderr, timeoutMs)).resources;
}

/**
 * Like {@linkcode devReady}, and returns the whole event.
 *
 * @param dev The runner, started with piped stdout and stderr.
 * @param stderr The runner's stderr, being read to its end.
 * @param timeoutMs How long to wait.
 * @returns The event.
 */
export async function devReadyEvent(
  dev: Deno.ChildProcess,
  stderr: Promise<string>,
  timeoutMs = 60_000,
): Promise<DevReadyEvent> {
  const { promise, resolve, reject } = Promise.withResolvers<DevReadyEvent>();
  const timeout = setTimeout(
    () => reject(new Error("timed out waiting for netscript dev to be ready")),
    timeoutMs,
  );
  eachLine(dev.stdout, (line) => {
    const event = JSON.parse(line);
    if (event.event === "ready") resolve(event);
  }).then(() => reject(new Error("netscript dev ended before it was ready")), reject);
  try {
    return await promise;
  } catch (error) {
    try {
      dev.kill("SIGKILL");
    } catch {
      // already exited
    }
    throw new Error(`${(error as Error).message}: ${await stderr}`);
  } finally {
    clearTimeout(timeout);
  }
}
