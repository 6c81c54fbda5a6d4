/**
 * Deadlines of one length, kept in one queue behind one timer. Every body
 * read needs a deadline; a timer of its own, scheduled and cancelled per
 * request, costs more than reading a small body. Deadlines of one length
 * expire in the order they start, so the queue only ever looks at its head.
 *
 * @module
 */

/** One deadline in the queue; `resolve` is cleared once it is done or expired. */
interface _Deadline {
  readonly at: number;
  resolve: ((value: "timed_out") => void) | undefined;
}

/** A started deadline. */
export interface Deadline {
  /** Resolves with `"timed_out"` when the deadline passes first. */
  readonly expired: Promise<"timed_out">;
  /** Ends the deadline: `expired` then never resolves. */
  done(): void;
}

/** How many finished entries at the front are tolerated before the queue is compacted. */
const COMPACT_AFTER = 1_024;

/** Deadlines that all last `ms` milliseconds. */
export class DeadlineQueue {
  readonly #ms: number;
  #entries: _Deadline[] = [];
  #head = 0;
  #live = 0;
  #timer: number | undefined;
  #timerRef = true;

  /**
   * @param ms How long each deadline lasts, in milliseconds.
   */
  constructor(ms: number) {
    this.#ms = ms;
  }

  /**
   * Starts a deadline of the queue's length from now. While any deadline
   * is running the queue's timer keeps the process alive, as a timer of
   * its own would.
   *
   * @returns The deadline.
   */
  start(): Deadline {
    const entry: _Deadline = { at: performance.now() + this.#ms, resolve: undefined };
    const expired = new Promise<"timed_out">((resolve) => {
      entry.resolve = resolve;
    });
    this.#entries.push(entry);
    if (this.#live++ === 0) this.#ref(true);
    if (this.#timer === undefined) this.#arm(this.#ms);
    return {
      expired,
      done: () => {
        if (entry.resolve === undefined) return;
        entry.resolve = undefined;
        this.#finished();
      },
    };
  }

  /** Counts a deadline that ended, and drops the finished ones at the front. */
  #finished(): void {
    if (--this.#live === 0) this.#ref(false);
    const entries = this.#entries;
    while (this.#head < entries.length && entries[this.#head]!.resolve === undefined) this.#head++;
    if (this.#head === entries.length) {
      this.#entries = [];
      this.#head = 0;
    } else if (this.#head > COMPACT_AFTER && this.#head * 2 > entries.length) {
      this.#entries = entries.slice(this.#head);
      this.#head = 0;
    }
  }

  /** Keeps the process alive for the timer, or not, when that changes. */
  #ref(ref: boolean): void {
    if (this.#timer === undefined || this.#timerRef === ref) return;
    this.#timerRef = ref;
    if (ref) Deno.refTimer(this.#timer);
    else Deno.unrefTimer(this.#timer);
  }

  #arm(delay: number): void {
    // Deno's own timer id (the global `setTimeout` is typed as Node's here).
    this.#timer = Number(setTimeout(() => this.#expire(), delay));
    this.#timerRef = true;
    if (this.#live === 0) this.#ref(false);
  }

  /** Expires every deadline that has passed, then waits for the next. */
  #expire(): void {
    this.#timer = undefined;
    const now = performance.now();
    for (let entry = this.#entries[this.#head]; entry !== undefined && entry.at <= now;) {
      const resolve = entry.resolve;
      if (resolve !== undefined) {
        entry.resolve = undefined;
        resolve("timed_out");
        this.#finished();
      } else {
        this.#head++;
      }
      entry = this.#entries[this.#head];
    }
    const next = this.#entries[this.#head];
    if (next !== undefined) this.#arm(Math.max(0, next.at - now));
  }
}
