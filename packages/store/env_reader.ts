/**
 * Where the store plumbing and the runtime kit read environment variables from.
 *
 * @module
 */

/** Reads one environment variable: `Deno.env`, or a plain object in tests. */
export interface EnvReader {
  /**
   * Reads a variable.
   *
   * @param name The variable's name.
   * @returns Its value, or `undefined` when it is not set.
   */
  get(name: string): string | undefined;
}

/**
 * The process's environment, read without ever throwing: a variable this
 * process may not read (no `--allow-env` for it) counts as not set.
 *
 * @example
 * ```ts
 * import { processEnv } from "@netscript/store";
 *
 * console.log(processEnv.get("WORKER_CONCURRENCY") ?? "not set");
 * ```
 */
export const processEnv: EnvReader = {
  get(name) {
    const state = Deno.permissions.querySync({ name: "env", variable: name }).state;
    return state === "granted" ? Deno.env.get(name) : undefined;
  },
};

/**
 * Reads a variable, counting an empty value as not set.
 *
 * @param env Where to read.
 * @param name The variable.
 * @returns The value, or `undefined` when unset or empty.
 */
export function readVariable(env: EnvReader, name: string): string | undefined {
  const value = env.get(name);
  return value === undefined || value === "" ? undefined : value;
}

/**
 * Builds an {@linkcode EnvReader} over fixed values, for tests and tools.
 *
 * @param values The variables.
 * @returns A reader that sees exactly these variables.
 *
 * @example
 * ```ts
 * import { envFrom } from "@netscript/store";
 *
 * const env = envFrom({ WORKER_CONCURRENCY: "4" });
 * console.log(env.get("WORKER_CONCURRENCY")); // "4"
 * ```
 */
export function envFrom(values: Readonly<Record<string, string | undefined>>): EnvReader {
  return { get: (name) => Object.hasOwn(values, name) ? values[name] : undefined };
}
