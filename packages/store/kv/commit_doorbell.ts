/**
 * A doorbell that rings when any process commits to a Deno KV file.
 *
 * Deno KV's SQLite backend runs in WAL mode: every commit, whichever
 * process makes it, writes the file's `-wal` companion, and WAL needs the
 * processes to share memory, so they all run under one kernel, whose file
 * events see every write. The doorbell watches the file's folder (not
 * recursively) and rings on events for the file or its `-wal`, `-shm` and
 * `-journal` companions; events for other files in the folder are ignored.
 * A ring says only that something was written: the caller reads what it
 * waits for.
 *
 * @module
 */
import { basename, dirname, join } from "node:path";

/** Rings on every commit to one KV file, by this process or another. */
export class CommitDoorbell {
  readonly #watcher: Deno.FsWatcher;
  readonly #file: string;
  readonly #pumping: Promise<void>;
  readonly #listeners = new Set<() => void>();
  #rings = 0;
  #failure: unknown = undefined;

  private constructor(watcher: Deno.FsWatcher, file: string) {
    this.#watcher = watcher;
    this.#file = file;
    this.#pumping = this.#pump();
  }

  /**
   * Starts watching the folder of a KV file.
   *
   * @param path The KV file, which exists (the store opened it).
   * @returns The doorbell; close it with {@linkcode CommitDoorbell.close}.
   * @throws {Deno.errors.NotCapable} Without read permission for the file's folder.
   * @throws {Error} When the file system cannot watch the folder (e.g. the
   * inotify watch limit is reached).
   */
  static async open(path: string): Promise<CommitDoorbell> {
    const file = await Deno.realPath(path);
    return new CommitDoorbell(Deno.watchFs(dirname(file), { recursive: false }), file);
  }

  /** How many times it rang so far: pass it to {@linkcode CommitDoorbell.rung} before reading. */
  get rings(): number {
    return this.#rings;
  }

  /**
   * Resolves once it rang more than `seen` times (at once if it already
   * did), after `timeoutMs`, or when `signal` aborts.
   *
   * @param seen The rings counted before the caller last read.
   * @param timeoutMs The longest wait.
   * @param signal Ends the wait early.
   * @returns Whether it rang.
   * @throws What the file watcher failed with, once it failed: it rings no more.
   */
  rung(seen: number, timeoutMs: number, signal: AbortSignal): Promise<boolean> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    if (this.#rings > seen) return Promise.resolve(true);
    if (signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const done = (rang: boolean) => {
        clearTimeout(timer);
        this.#listeners.delete(ring);
        signal.removeEventListener("abort", abort);
        resolve(rang);
      };
      const ring = () => done(true);
      const abort = () => done(false);
      const timer = setTimeout(abort, timeoutMs);
      this.#listeners.add(ring);
      signal.addEventListener("abort", abort, { once: true });
    });
  }

  /** Stops watching; pending waits still end on their timeout or signal. */
  async close(): Promise<void> {
    this.#watcher.close();
    await this.#pumping;
  }

  async #pump(): Promise<void> {
    const name = basename(this.#file);
    const folder = dirname(this.#file);
    const ours = new Set(
      ["", "-wal", "-shm", "-journal"].map((suffix) => join(folder, name + suffix)),
    );
    try {
      for await (const event of this.#watcher) {
        if (!event.paths.some((path) => ours.has(path))) continue;
        this.#rings++;
        this.#ring();
      }
    } catch (error) {
      this.#failure = error;
      this.#ring();
    }
  }

  #ring(): void {
    for (const ring of [...this.#listeners]) ring();
  }
}
