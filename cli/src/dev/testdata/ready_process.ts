import { eachLine } from "../each_line.ts";

/**
 * Starts `deno eval` running `code`, and resolves once the process has
 * printed "ready" (or ended), for the runner's tests.
 *
 * @param code What the process runs before it says it is ready.
 * @returns The process, and the end of its output.
 */
export async function startReadyProcess(
  code: string,
): Promise<{ child: Deno.ChildProcess; output: Promise<void> }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["eval", `${code}\nconsole.log("ready");`],
    stdin: "null",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const { promise: ready, resolve } = Promise.withResolvers<void>();
  const output = eachLine(child.stdout, (line) => line === "ready" && resolve());
  await Promise.race([ready, output]);
  return { child, output };
}
