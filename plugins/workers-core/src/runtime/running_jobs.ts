import type { JobRecord } from "../ports/job_queue.ts";
import { leaseLostReason } from "./abort_reasons.ts";
import { Wakeup } from "./wakeup.ts";

interface _Attempt {
  readonly job: JobRecord;
  readonly controller: AbortController;
  readonly done: Promise<void>;
}

/**
 * What a worker holds: the attempts running now (each takes a slot), and
 * the outcomes being written (the job no longer takes a slot, but the
 * worker still holds its lease until the outcome is stored).
 */
export class RunningJobs {
  #attempts = new Map<string, _Attempt>();
  #byName = new Map<string, number>();
  #writing = new Map<string, Promise<void>>();
  #freed = new Wakeup();
  #onFreed: (() => void) | undefined;

  /**
   * @param onFreed Called each time an attempt ends and frees its slot,
   * before {@linkcode RunningJobs.freed} fires (a worker starts a job it
   * claimed ahead in it).
   */
  constructor(onFreed?: () => void) {
    this.#onFreed = onFreed;
  }

  /** Attempts running now: the slots taken. */
  get size(): number {
    return this.#attempts.size;
  }

  /** Fires each time an attempt ends and frees its slot. */
  get freed(): Wakeup {
    return this.#freed;
  }

  /**
   * Attempts of one job kind running now.
   *
   * @param name The job's name.
   * @returns How many.
   */
  countOf(name: string): number {
    return this.#byName.get(name) ?? 0;
  }

  /**
   * The jobs whose lease the worker holds: running, or with an outcome
   * being written.
   *
   * @returns Their ids, each once.
   */
  leased(): string[] {
    return [...new Set([...this.#attempts.keys(), ...this.#writing.keys()])];
  }

  /**
   * Runs an attempt in a slot until `attempt` settles. A job this worker
   * still runs can come back when its lease lapsed (a stalled event loop):
   * the old attempt is aborted, having lost the job to the new one.
   *
   * @param job The job as claimed.
   * @param attempt Runs it; its controller aborts it.
   */
  run(job: JobRecord, attempt: (controller: AbortController) => Promise<void>): void {
    // The reason is an error with a stack: made only for a job running here.
    if (this.#attempts.has(job.id)) this.abort(job.id, leaseLostReason(job.id));
    const controller = new AbortController();
    this.#byName.set(job.name, this.countOf(job.name) + 1);
    const entry: _Attempt = {
      job,
      controller,
      done: attempt(controller).finally(() => {
        if (this.#attempts.get(job.id) === entry) this.#attempts.delete(job.id);
        this.#byName.set(job.name, this.countOf(job.name) - 1);
        this.#onFreed?.();
        this.#freed.fire();
      }),
    };
    this.#attempts.set(job.id, entry);
  }

  /**
   * Keeps a job's lease while its outcome is written.
   *
   * @param id The job's id.
   * @param written Settles once the outcome is stored (or could not be).
   */
  writing(id: string, written: Promise<void>): void {
    const entry = written.finally(() => {
      if (this.#writing.get(id) === entry) this.#writing.delete(id);
    });
    this.#writing.set(id, entry);
  }

  /**
   * Aborts a running attempt; nothing when the job does not run here.
   *
   * @param id The job's id.
   * @param reason The signal's reason.
   */
  abort(id: string, reason: unknown): void {
    this.#attempts.get(id)?.controller.abort(reason);
  }

  /**
   * Aborts every running attempt.
   *
   * @param reason The signals' reason.
   */
  abortAll(reason: unknown): void {
    for (const { controller } of this.#attempts.values()) controller.abort(reason);
  }

  /**
   * Resolves once no attempt runs.
   *
   * @returns A promise that resolves when every slot is free.
   */
  async finished(): Promise<void> {
    while (this.#attempts.size > 0) {
      await Promise.all([...this.#attempts.values()].map((a) => a.done));
    }
  }

  /**
   * Resolves once no attempt runs and every outcome is written.
   *
   * @returns A promise that resolves when the worker holds nothing.
   */
  async idle(): Promise<void> {
    await this.finished();
    while (this.#writing.size > 0) await Promise.all(this.#writing.values());
  }
}
