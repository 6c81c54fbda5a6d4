/**
 * What every protocol operation works with: the store, a clock, and the
 * per-stream serialization of writes in this process.
 *
 * @module
 */

import { NetScriptError } from "@netscript/contracts/errors";
import type { StreamStore, StreamWrite } from "../ports/stream_store.ts";
import type { StreamsCoreErrorCode } from "../streams_error_codes.ts";
import type { MessageCheck } from "./message_check.ts";

/** The store and settings the protocol's operations share. */
export interface ProtocolContext {
  /** Where streams live. */
  store: StreamStore;
  /** The clock, in milliseconds since the epoch. */
  now(): number;
  /** How many times a write is decided again after a version conflict. */
  maxCommitAttempts: number;
  /** Runs `task` after every earlier task for the same key has settled. */
  serialize<T>(key: string, task: () => Promise<T>): Promise<T>;
  /** The check of a stream's messages, by path; `undefined` when its messages are not checked. */
  checkMessage(path: string): MessageCheck | undefined;
}

/** One decision of a write: the commit it needs (if any) and its outcome. */
export interface WriteDecision<T> {
  /** The writes to commit atomically; none when the outcome needs no change. */
  writes: readonly StreamWrite[];
  /** What the operation returns once `writes` committed. */
  outcome: T;
}

/**
 * Creates a protocol context over a store.
 *
 * @param store Where streams live.
 * @param options A clock, the commit attempts and the message checks.
 * @returns The context.
 */
export function createProtocolContext(
  store: StreamStore,
  options: {
    now?: () => number;
    maxCommitAttempts?: number;
    checkMessage?: (path: string) => MessageCheck | undefined;
  } = {},
): ProtocolContext {
  const tails = new Map<string, Promise<unknown>>();
  return {
    store,
    now: options.now ?? Date.now,
    maxCommitAttempts: options.maxCommitAttempts ?? 20,
    checkMessage: options.checkMessage ?? (() => undefined),
    serialize<T>(key: string, task: () => Promise<T>): Promise<T> {
      const previous = tails.get(key) ?? Promise.resolve();
      const run = previous.then(task, task);
      const settled = run.then(() => undefined, () => undefined);
      tails.set(key, settled);
      void settled.then(() => {
        if (tails.get(key) === settled) tails.delete(key);
      });
      return run;
    },
  };
}

/**
 * Decides a write from what the store holds and commits it; on a version
 * conflict, reads again and decides again, up to the context's attempts.
 *
 * @param context The protocol context.
 * @param decide Reads the store and returns the writes and the outcome; throws to refuse.
 * @returns The outcome of the decision that committed.
 * @throws {NetScriptError} `STREAMS_WRITE_CONTENTION` when every attempt lost a conflict.
 */
export async function commitWithRetries<T>(
  context: ProtocolContext,
  decide: () => Promise<WriteDecision<T>>,
): Promise<T> {
  for (let attempt = 1; attempt <= context.maxCommitAttempts; attempt++) {
    const decision = await decide();
    if (decision.writes.length === 0) return decision.outcome;
    if (await context.store.commit(decision.writes)) return decision.outcome;
    if (attempt > 2) {
      await new Promise((resolve) => setTimeout(resolve, Math.random() * attempt * 2));
    }
  }
  throw new NetScriptError<StreamsCoreErrorCode>(
    "STREAMS_WRITE_CONTENTION",
    `Cannot commit the write: concurrent writes changed the stream ${context.maxCommitAttempts} times in a row; retry the request`,
    { details: { attempts: context.maxCommitAttempts } },
  );
}
