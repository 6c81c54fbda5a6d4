import type { ProcessResource } from "@netscript/plugin";
import { eachLine } from "./each_line.ts";
import type { Launcher } from "./parent_death.ts";

/** The runner's variables every process receives. */
const BASE_ENV = ["PATH", "HOME", "DENO_DIR", "NO_COLOR", "TMPDIR"] as const;

/** Options of {@linkcode spawnResource}. */
export interface SpawnResourceOptions {
  /** The workspace root: the process's working directory. */
  root: string;
  /** How to start `deno` (see `findLauncher`). */
  launcher: Launcher;
  /** Receives each line the process prints, without its newline. */
  onLine(stream: "stdout" | "stderr", text: string): void;
  /**
   * Reads the runner's variables: `netscript dev` passes the environment
   * with the workspace's `.env` behind it.
   * @default {the runner's environment}
   */
  env?: (name: string) => string | undefined;
  /**
   * Lists the runner's variable names, to expand a declared prefix
   * (`BILLING_*`) into the variables it matches.
   * @default {the runner's environment's names}
   */
  envNames?: () => readonly string[];
}

/** A started process and the end of its output. */
export interface SpawnedResource {
  /** The process. */
  child: Deno.ChildProcess;
  /** Resolves when both its output streams have ended and every line was passed on. */
  output: Promise<void>;
}

/**
 * Starts one process of the graph: `deno run` with exactly its flags, its
 * entrypoint, in the workspace root, no stdin, and a cleared environment that
 * holds only `PATH`, `HOME`, `DENO_DIR`, `NO_COLOR` and `TMPDIR`, the
 * runner's values of the variables it declared (`passEnv`; a name ending in
 * `*` passes every variable that starts with what precedes it), and its own
 * `env`, in that order of precedence from lowest to highest. The runner's
 * values come from `options.env`, so a `.env` value reaches a process only
 * when it declared the variable, as a real one would.
 *
 * @param resource The service or processor.
 * @param options Where, how and where its lines go.
 * @returns The process and the end of its output.
 * @example
 * ```ts
 * import type { ProcessResource } from "@netscript/plugin";
 * import { findLauncher } from "./parent_death.ts";
 * import { spawnResource } from "./spawn_resource.ts";
 *
 * declare const ticker: ProcessResource;
 * const { child } = spawnResource(ticker, {
 *   root: Deno.cwd(),
 *   launcher: await findLauncher(),
 *   onLine: (stream, text) => console.log(`${stream}: ${text}`),
 * });
 * console.log(child.pid);
 * ```
 */
export function spawnResource(
  resource: ProcessResource,
  options: SpawnResourceOptions,
): SpawnedResource {
  const { launcher, env = (name: string) => Deno.env.get(name) } = options;
  const envNames = options.envNames ?? (() => Object.keys(Deno.env.toObject()));
  const child = new Deno.Command(launcher.command, {
    args: [...launcher.prefix, "run", ...resource.flags, resource.entrypoint],
    cwd: options.root,
    clearEnv: true,
    env: {
      ..._runnerValues(BASE_ENV, env),
      ..._runnerValues(_expandPrefixes(resource.passEnv, envNames), env),
      ...resource.env,
    },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  // A killed process's pipes can end with an error; its exit is what the runner acts on.
  const output = Promise.all([
    eachLine(child.stdout, (text) => options.onLine("stdout", text)).catch(() => {}),
    eachLine(child.stderr, (text) => options.onLine("stderr", text)).catch(() => {}),
  ]).then(() => {});
  return { child, output };
}

/** The declared names, each `PREFIX*` replaced by the runner's variables that start with `PREFIX`. */
function _expandPrefixes(
  declared: readonly string[],
  envNames: () => readonly string[],
): string[] {
  if (!declared.some((name) => name.endsWith("*"))) return [...declared];
  const known = envNames();
  return declared.flatMap((name) =>
    name.endsWith("*")
      ? known.filter((candidate) => candidate.startsWith(name.slice(0, -1)))
      : [name]
  );
}

/** The runner's own values of `names`, leaving out the ones it does not have. */
function _runnerValues(
  names: readonly string[],
  env: (name: string) => string | undefined,
): Record<string, string> {
  const values: Record<string, string> = {};
  for (const name of names) {
    const value = env(name);
    if (value !== undefined) values[name] = value;
  }
  return values;
}
