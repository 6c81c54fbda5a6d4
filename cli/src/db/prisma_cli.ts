import { PRISMA_VERSION } from "@netscript/db/migrate";

/** What a prisma CLI run printed. */
export interface PrismaRun {
  /** Whether it exited 0. */
  success: boolean;
  /** stdout and stderr, together. */
  output: string;
}

/**
 * Runs the official prisma CLI (`npm:prisma`, the version NetScript pins)
 * in the workspace. The permission list is explicit: prisma reads and
 * writes the workspace, reads its environment, and starts the schema
 * engine.
 *
 * @param root The workspace root.
 * @param args prisma's arguments, e.g. `["generate", "--schema", "…"]`.
 * @param env Extra environment variables (the engine binary, DATABASE_URL).
 * @returns Whether it succeeded, and what it printed.
 */
export async function runPrismaCli(
  root: string,
  args: readonly string[],
  env: Readonly<Record<string, string>>,
): Promise<PrismaRun> {
  const result = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      "--no-lock",
      "--allow-read",
      "--allow-write",
      "--allow-env",
      "--allow-sys",
      "--allow-run",
      "--allow-net",
      "--allow-ffi",
      `npm:prisma@${PRISMA_VERSION}`,
      ...args,
    ],
    cwd: root,
    env: { NO_COLOR: "1", PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1", ...env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return {
    success: result.success,
    output: (decoder.decode(result.stdout) + decoder.decode(result.stderr)).trim(),
  };
}
