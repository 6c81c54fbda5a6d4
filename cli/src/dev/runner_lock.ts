import { dirname, join } from "node:path";
import { NetScriptError } from "@netscript/contracts/errors";
import type { CliErrorCode } from "../cli_error_codes.ts";
import { inspectProcess } from "./inspect_process.ts";

/** Where the runner of a workspace holds its lock, relative to the workspace root. */
export const LOCK_FILE = ".netscript/dev/runner.lock";

/** What the lock file records about the runner that holds it. */
export interface RunnerLockRecord {
  /** The runner's pid. */
  pid: number;
  /** When the runner took the lock (ISO 8601). */
  since: string;
  /** The runner process's start time as `ps` prints it; tells a reused pid apart. */
  processStart: string | null;
  /** Each service's base URL, once its port is known. */
  urls: Record<string, string>;
}

/** The lock a runner holds on its workspace. */
export interface RunnerLock {
  /** What the lock file records. */
  readonly record: Readonly<RunnerLockRecord>;
  /** Records the services' URLs, for a second runner's refusal to name. */
  setUrls(urls: Record<string, string>): Promise<void>;
  /** Removes the lock file, if it is still this runner's. */
  release(): Promise<void>;
}

/** Options of {@linkcode acquireRunnerLock}. */
export interface AcquireRunnerLockOptions {
  /**
   * Called when the lock of a runner that no longer runs is taken over.
   * @default {nothing}
   */
  onTakeOver?: (stale: RunnerLockRecord | undefined) => void;
}

/**
 * Takes the workspace's runner lock: one `netscript dev` per workspace. The
 * file appears whole or not at all (written beside it, then hard-linked into
 * place, which fails when it exists). A lock whose pid no longer runs a
 * Deno process started at the recorded time (a killed runner's) is taken
 * over.
 *
 * @param root The workspace root.
 * @param options Whom to tell about a take-over.
 * @returns The lock, to release on a clean stop.
 * @throws {NetScriptError} `DEV_ALREADY_RUNNING` when a live runner holds it.
 * @example
 * ```ts
 * import { acquireRunnerLock } from "./runner_lock.ts";
 *
 * const lock = await acquireRunnerLock(Deno.cwd());
 * await lock.setUrls({ api: "http://localhost:3000" });
 * await lock.release();
 * ```
 */
export async function acquireRunnerLock(
  root: string,
  options: AcquireRunnerLockOptions = {},
): Promise<RunnerLock> {
  const file = join(root, LOCK_FILE);
  await Deno.mkdir(dirname(file), { recursive: true });
  const record: RunnerLockRecord = {
    pid: Deno.pid,
    since: new Date().toISOString(),
    processStart: (await inspectProcess(Deno.pid))?.started ?? null,
    urls: {},
  };
  for (let attempt = 0;; attempt++) {
    if (await _createWhole(file, _text(record))) break;
    const heldText = await _readText(file);
    if (heldText === undefined) continue;
    const held = _parse(heldText);
    if (held !== undefined && await _runs(held)) {
      throw new NetScriptError<CliErrorCode>(
        "DEV_ALREADY_RUNNING",
        `Cannot start netscript dev: it already runs in this workspace as pid ${held.pid} (since ${held.since})${
          _describeUrls(held.urls)
        }; use that one, or stop it (Ctrl-C in its terminal, or kill -TERM ${held.pid}) and start again`,
        { details: { pid: held.pid, since: held.since, urls: held.urls, lock: LOCK_FILE } },
      );
    }
    if (attempt >= 5) {
      throw new Error(`Cannot take over the stale lock ${file}: it keeps changing`);
    }
    if (await _removeIfUnchanged(file, heldText)) options.onTakeOver?.(held);
  }
  const ours = async () => {
    const held = _parse(await _readText(file) ?? "");
    return held?.pid === record.pid && held.since === record.since;
  };
  return {
    record,
    async setUrls(urls) {
      record.urls = { ...urls };
      if (!(await ours())) return;
      const temporary = `${file}.${crypto.randomUUID().slice(0, 8)}.tmp`;
      await Deno.writeTextFile(temporary, _text(record));
      await Deno.rename(temporary, file);
    },
    async release() {
      if (!(await ours())) return;
      await Deno.remove(file).catch((error) => {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
      });
    },
  };
}

/** Whether the recorded runner still runs: a Deno process started when the lock says. */
async function _runs(held: RunnerLockRecord): Promise<boolean> {
  const info = await inspectProcess(held.pid);
  return info?.command === "deno" &&
    (held.processStart === null || info.started === held.processStart);
}

function _describeUrls(urls: Record<string, string>): string {
  const entries = Object.entries(urls);
  return entries.length === 0 ? "" : `, serving ${entries.map(([n, u]) => `${n} ${u}`).join(", ")}`;
}

function _text(record: RunnerLockRecord): string {
  return `${JSON.stringify(record, null, 2)}\n`;
}

function _parse(text: string): RunnerLockRecord | undefined {
  try {
    const value = JSON.parse(text);
    return typeof value?.pid === "number" && typeof value.since === "string"
      ? { processStart: null, urls: {}, ...value }
      : undefined;
  } catch {
    return undefined;
  }
}

async function _readText(file: string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(file);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

/** Creates `file` with `text` unless it exists; `false` when it does. */
async function _createWhole(file: string, text: string): Promise<boolean> {
  const temporary = `${file}.${crypto.randomUUID().slice(0, 8)}.tmp`;
  await Deno.writeTextFile(temporary, text);
  try {
    await Deno.link(temporary, file);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.AlreadyExists) return false;
    throw error;
  } finally {
    await Deno.remove(temporary);
  }
}

/**
 * Removes a stale lock, unless another runner replaced it since it was read:
 * the file is first moved aside, and put back when it is no longer the one
 * judged stale.
 */
async function _removeIfUnchanged(file: string, staleText: string): Promise<boolean> {
  const aside = `${file}.${crypto.randomUUID().slice(0, 8)}.stale`;
  try {
    await Deno.rename(file, aside);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
  try {
    if (await Deno.readTextFile(aside) === staleText) return true;
    await Deno.link(aside, file).catch((error) => {
      if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
    });
    return false;
  } finally {
    await Deno.remove(aside);
  }
}
