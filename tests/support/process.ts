/**
 * Runs a Deno program as a real child process and follows its JSON log
 * lines, for tests that need real ports, signals and exits.
 *
 * @module
 */
import { eachLine } from "../../cli/src/dev/each_line.ts";

/** A running child process and what it has printed so far. */
export interface ChildProgram extends AsyncDisposable {
  /** The process. */
  readonly child: Deno.ChildProcess;
  /** Every stdout line so far. */
  readonly stdout: string[];
  /** Every stderr line so far. */
  readonly stderr: string[];
  /** Resolves with the first stdout JSON record that satisfies `predicate`. */
  waitForRecord(
    predicate: (record: Record<string, unknown>) => boolean,
  ): Promise<Record<string, unknown>>;
  /** Resolves when the process has exited and its output is fully read. */
  readonly finished: Promise<Deno.CommandStatus>;
}

/** Options of {@linkcode startProgram}. */
export interface StartProgramOptions {
  /** Deno permission flags, e.g. `["--allow-net"]`. */
  permissions: string[];
  /** Extra environment variables. */
  env?: Record<string, string>;
  /** Arguments after the script. */
  args?: string[];
}

/**
 * Starts `deno run <permissions> <script>` and collects its output.
 *
 * @param script The program's path or URL.
 * @param options Permissions, environment and arguments.
 * @returns The running program.
 */
export function startProgram(script: string | URL, options: StartProgramOptions): ChildProgram {
  const path = script instanceof URL ? script.pathname : script;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", ...options.permissions, path, ...(options.args ?? [])],
    env: { NO_COLOR: "1", ...options.env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stdout: string[] = [];
  const stderr: string[] = [];
  const waiters: {
    predicate: (r: Record<string, unknown>) => boolean;
    resolve: (r: Record<string, unknown>) => void;
  }[] = [];
  const onStdout = (line: string) => {
    stdout.push(line);
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(line);
    } catch {
      return;
    }
    for (const waiter of [...waiters]) {
      if (waiter.predicate(record)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(record);
      }
    }
  };
  const finished = Promise.all([
    eachLine(child.stdout, onStdout),
    eachLine(child.stderr, (line) => stderr.push(line)),
    child.status,
  ]).then(([, , status]) => status);
  return {
    child,
    stdout,
    stderr,
    finished,
    waitForRecord(predicate) {
      return new Promise((resolve, reject) => {
        for (const line of stdout) {
          try {
            const record = JSON.parse(line);
            if (predicate(record)) return resolve(record);
          } catch {
            // not a JSON line
          }
        }
        waiters.push({ predicate, resolve });
        finished.then(() =>
          reject(new Error(`the process exited first; stderr:\n${stderr.join("\n")}`))
        );
      });
    },
    async [Symbol.asyncDispose]() {
      try {
        child.kill("SIGKILL");
      } catch {
        // already exited
      }
      await finished;
    },
  };
}

/**
 * Kills a program with SIGKILL, as a crash would, and waits until it has
 * exited and its output is read; a program that already exited is fine.
 *
 * @param program The program.
 * @returns How it ended.
 */
export async function killProgram(program: ChildProgram): Promise<Deno.CommandStatus> {
  try {
    program.child.kill("SIGKILL");
  } catch (error) {
    // A TypeError means the process has already exited.
    if (!(error instanceof TypeError)) throw error;
  }
  return await program.finished;
}
