/** What `ps` says about a running process. */
export interface ProcessInfo {
  /** The executable's name, e.g. `deno`. */
  command: string;
  /** When it started, as `ps` prints it (`lstart`); identifies it across pid reuse. */
  started: string;
}

/**
 * Describes a running (not zombie) process. Asks `ps`: Deno reads /proc
 * only with all permissions.
 *
 * @param pid The process id.
 * @returns Its command and start time, or `undefined` when no such process runs.
 * @example
 * ```ts
 * import { inspectProcess } from "./inspect_process.ts";
 *
 * console.log((await inspectProcess(Deno.pid))?.command); // "deno"
 * ```
 */
export async function inspectProcess(pid: number): Promise<ProcessInfo | undefined> {
  const result = await new Deno.Command("ps", {
    args: ["-o", "stat=,lstart=,comm=", "-p", String(pid)],
    env: { LC_ALL: "C" },
  }).output();
  const words = new TextDecoder().decode(result.stdout).trim().split(/\s+/);
  const state = words[0] ?? "";
  if (!result.success || words.length < 3 || state.startsWith("Z")) return undefined;
  return { command: words.at(-1)!, started: words.slice(1, -1).join(" ") };
}

/**
 * Whether a pid belongs to a running (not zombie) Deno process, which guards
 * against a pid reused by an unrelated program.
 *
 * @param pid The process id.
 * @returns `true` when a Deno process runs with that pid.
 * @example
 * ```ts
 * import { isDenoProcess } from "./inspect_process.ts";
 *
 * console.log(await isDenoProcess(Deno.pid)); // true
 * ```
 */
export async function isDenoProcess(pid: number): Promise<boolean> {
  return (await inspectProcess(pid))?.command === "deno";
}
