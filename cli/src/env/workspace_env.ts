import { join } from "node:path";
import { parseDotenv } from "@netscript/plugin";

/** The file, in the workspace root, that holds local variables. */
export const ENV_FILE = ".env";

/**
 * The variables the CLI and the processes it starts see: the real
 * environment first, then the workspace's `.env` for what the environment
 * does not set.
 */
export interface WorkspaceEnv {
  /**
   * Reads one variable: the real environment's value when it is set (even
   * to an empty string), else the `.env` value.
   */
  get(name: string): string | undefined;
  /** The names of every variable set in the real environment (when readable) or `.env`. */
  names(): readonly string[];
  /** Where a variable's value comes from, for messages. */
  source(name: string): "environment" | ".env" | undefined;
  /** The path of the `.env` that was read, or `undefined` when there is none. */
  readonly file: string | undefined;
}

/** Options of {@linkcode loadWorkspaceEnv}. */
export interface LoadWorkspaceEnvOptions {
  /**
   * Reads one variable of the real environment.
   * @default {the process environment, unreadable variables counting as unset}
   */
  env?: (name: string) => string | undefined;
}

/**
 * Reads the workspace's `.env` (when there is one) and puts the real
 * environment in front of it: a variable set in the shell always wins over
 * the file.
 *
 * @param root The workspace root.
 * @param options Where the real environment comes from.
 * @returns The merged view.
 * @throws {NetScriptError} `ENV_FILE_INVALID` when a line of `.env` is malformed.
 * @example
 * ```ts
 * import { loadWorkspaceEnv } from "./workspace_env.ts";
 *
 * const env = await loadWorkspaceEnv(Deno.cwd());
 * console.log(env.get("DATABASE_URL"), env.source("DATABASE_URL"));
 * ```
 */
export async function loadWorkspaceEnv(
  root: string,
  options: LoadWorkspaceEnvOptions = {},
): Promise<WorkspaceEnv> {
  const real = options.env ?? _processEnv;
  const path = join(root, ENV_FILE);
  let text: string | undefined;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  const fromFile = text === undefined ? {} : parseDotenv(text, path);
  const own = (name: string) => Object.hasOwn(fromFile, name) ? fromFile[name] : undefined;
  return {
    get: (name) => real(name) ?? own(name),
    names: () => [...new Set([..._processNames(), ...Object.keys(fromFile)])],
    source: (name) =>
      real(name) !== undefined ? "environment" : own(name) !== undefined ? ".env" : undefined,
    file: text === undefined ? undefined : path,
  };
}

/** The real environment's names, or none when the CLI may not read the whole environment. */
function _processNames(): string[] {
  return Deno.permissions.querySync({ name: "env" }).state === "granted"
    ? Object.keys(Deno.env.toObject())
    : [];
}

function _processEnv(name: string): string | undefined {
  return Deno.permissions.querySync({ name: "env", variable: name }).state === "granted"
    ? Deno.env.get(name)
    : undefined;
}
