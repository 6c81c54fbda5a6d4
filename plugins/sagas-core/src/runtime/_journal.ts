/**
 * A claimed saga's journal as its replay walks it: the recorded entries by
 * position, the position the next `ctx` call takes, the recorded values
 * not written yet, and the compensations by the step they undo.
 *
 * @module
 */
import type { SagaEntry, SagaEntryKind, SagaEntryWrite } from "../ports/saga_store.ts";
import { sagaError } from "./saga_errors.ts";

/** What a `ctx` call found at its position. */
export interface Position {
  /** The position (the entry's `seq`). */
  readonly seq: number;
  /** The entry recorded there, if any. */
  readonly entry: SagaEntry | undefined;
}

/** The journal of one claimed saga. */
export class Journal {
  readonly #forward = new Map<number, SagaEntry>();
  readonly #compensations = new Map<number, SagaEntry>();
  readonly #lastRecorded: number;
  #cursor = 0;
  #highest: number;
  #pending: SagaEntryWrite[] = [];

  /**
   * Reads a claimed saga's journal.
   *
   * @param entries The recorded entries, in any order.
   */
  constructor(entries: readonly SagaEntry[]) {
    let last = -1;
    let highest = -1;
    for (const entry of entries) {
      highest = Math.max(highest, entry.seq);
      if (entry.kind === "compensation") {
        if (entry.compensates !== null) this.#compensations.set(entry.compensates, entry);
      } else {
        this.#forward.set(entry.seq, entry);
        last = Math.max(last, entry.seq);
      }
    }
    this.#lastRecorded = last;
    this.#highest = highest;
  }

  /** `true` while the next call's position is at or before the last recorded call. */
  get replaying(): boolean {
    return this.#cursor <= this.#lastRecorded;
  }

  /** The position the next call takes. */
  get cursor(): number {
    return this.#cursor;
  }

  /**
   * Takes the next position for a call, checking it against what was
   * recorded there.
   *
   * @param kind What the call records.
   * @param name Its name.
   * @returns The position and the entry recorded there.
   * @throws {NetScriptError} `SAGAS_NONDETERMINISTIC` when the entry there
   * is of another kind or name.
   */
  next(kind: Exclude<SagaEntryKind, "compensation">, name: string): Position {
    const seq = this.#cursor++;
    const entry = this.#forward.get(seq);
    if (entry !== undefined && (entry.kind !== kind || entry.name !== name)) {
      throw sagaError(
        "SAGAS_NONDETERMINISTIC",
        `The saga's code diverged from its journal at position ${seq}: the journal records ${entry.kind} "${entry.name}", the code asked for ${kind} "${name}"; restore the code the saga started with, or give changed code a new version, then retry the saga`,
        { seq, recorded: { kind: entry.kind, name: entry.name }, asked: { kind, name } },
      );
    }
    return { seq, entry };
  }

  /**
   * Keeps an entry to write with the next commit (a recorded value, a
   * sleep found over).
   *
   * @param entry The entry.
   */
  defer(entry: SagaEntryWrite): void {
    this.#pending.push(entry);
    this.#highest = Math.max(this.#highest, entry.seq);
  }

  /** `true` when entries wait for the next commit. */
  get hasPending(): boolean {
    return this.#pending.length > 0;
  }

  /**
   * Takes the entries waiting for a commit, with `more` after them.
   *
   * @param more Entries the commit writes too.
   * @returns Everything to write.
   */
  takePending(more: readonly SagaEntryWrite[] = []): SagaEntryWrite[] {
    const all = [...this.#pending, ...more];
    this.#pending = [];
    for (const entry of more) this.#highest = Math.max(this.#highest, entry.seq);
    return all;
  }

  /**
   * The compensation entry of a step, if one was recorded.
   *
   * @param stepSeq The step's position.
   * @returns The entry.
   */
  compensationOf(stepSeq: number): SagaEntry | undefined {
    return this.#compensations.get(stepSeq);
  }

  /**
   * A position no entry has, for a new compensation entry.
   *
   * @returns The position.
   */
  freeSeq(): number {
    return ++this.#highest;
  }

  /**
   * The number of the last recorded call, to tell a `run` that ended early.
   *
   * @returns The position, or -1 for none.
   */
  get lastRecorded(): number {
    return this.#lastRecorded;
  }
}
