/**
 * A stream's life: expiry (sliding TTL and absolute expiry), removal with
 * soft delete while forks still read the data, and the cascade that removes
 * soft-deleted sources once their last fork is gone.
 *
 * @module
 */

import { NetScriptError } from "@netscript/contracts/errors";
import type { StreamRecord, StreamStore, StreamWrite } from "../ports/stream_store.ts";
import type { StreamsCoreErrorCode } from "../streams_error_codes.ts";
import { commitWithRetries, createProtocolContext, type ProtocolContext } from "./context.ts";

/**
 * Whether a stream has expired: its absolute expiry passed, or it was idle
 * longer than its sliding TTL.
 *
 * @param record The stream.
 * @param now Milliseconds since the epoch.
 * @returns `true` when expired.
 */
export function isExpired(record: StreamRecord, now: number): boolean {
  if (record.expiresAt !== null && now >= record.expiresAt) return true;
  return record.ttlSeconds !== null && now >= record.accessedAt + record.ttlSeconds * 1000;
}

/**
 * The writes that remove a stream: a soft delete while forks read it,
 * otherwise its removal, the release of its source's fork count, and the
 * removal of every soft-deleted source that was waiting for that.
 *
 * @param context The protocol context.
 * @param record The stream to remove, as read.
 * @returns The writes to commit together.
 */
export async function removalWrites(
  context: ProtocolContext,
  record: StreamRecord,
): Promise<StreamWrite[]> {
  if (record.forkCount > 0) {
    return [{
      kind: "put",
      expectedVersion: record.version,
      record: { ...record, softDeleted: true, version: record.version + 1 },
      chunks: [],
    }];
  }
  const writes: StreamWrite[] = [{
    kind: "delete",
    path: record.path,
    expectedVersion: record.version,
  }];
  let child = record;
  while (child.fork) {
    const parent = await context.store.get(child.fork.source);
    if (!parent) break;
    const forkCount = Math.max(0, parent.forkCount - 1);
    if (forkCount === 0 && parent.softDeleted) {
      writes.push({ kind: "delete", path: parent.path, expectedVersion: parent.version });
      child = parent;
      continue;
    }
    writes.push({
      kind: "put",
      expectedVersion: parent.version,
      record: { ...parent, forkCount, version: parent.version + 1 },
      chunks: [],
    });
    break;
  }
  return writes;
}

function _missing(path: string, softDeleted: boolean): NetScriptError<StreamsCoreErrorCode> {
  return softDeleted
    ? new NetScriptError<StreamsCoreErrorCode>(
      "STREAMS_GONE",
      `Stream "${path}" was deleted; its forks still read its data, so the path stays reserved`,
      { details: { path } },
    )
    : new NetScriptError<StreamsCoreErrorCode>(
      "STREAMS_NOT_FOUND",
      `No stream has the path "${path}"; create it with PUT first`,
      { details: { path } },
    );
}

/**
 * Reads a stream that clients may use: it exists, is not soft-deleted and
 * has not expired. An expired stream found here is removed on the spot.
 *
 * @param context The protocol context.
 * @param path The stream's path.
 * @returns The stream's record.
 * @throws {NetScriptError} `STREAMS_NOT_FOUND`, or `STREAMS_GONE` when forks keep a deleted or expired stream.
 */
export async function loadLiveStream(
  context: ProtocolContext,
  path: string,
): Promise<StreamRecord> {
  const outcome = await commitWithRetries<StreamRecord | NetScriptError<StreamsCoreErrorCode>>(
    context,
    async () => {
      const record = await context.store.get(path);
      if (!record) return { writes: [], outcome: _missing(path, false) };
      if (record.softDeleted) return { writes: [], outcome: _missing(path, true) };
      if (!isExpired(record, context.now())) return { writes: [], outcome: record };
      return {
        writes: await removalWrites(context, record),
        outcome: _missing(path, record.forkCount > 0),
      };
    },
  );
  if (outcome instanceof NetScriptError) throw outcome;
  return outcome;
}

/**
 * Deletes a stream (the protocol's `DELETE`): soft-deletes it while forks
 * read its data, otherwise removes it and releases its sources.
 *
 * @param context The protocol context.
 * @param path The stream's path.
 * @returns Resolves once deleted.
 * @throws {NetScriptError} `STREAMS_NOT_FOUND`, or `STREAMS_GONE` when already soft-deleted.
 */
export function deleteStream(context: ProtocolContext, path: string): Promise<void> {
  return context.serialize(path, async () => {
    await loadLiveStream(context, path);
    await commitWithRetries(context, async () => {
      const record = await context.store.get(path);
      if (!record || record.softDeleted) throw _missing(path, record?.softDeleted ?? false);
      return { writes: await removalWrites(context, record), outcome: undefined };
    });
  });
}

/** Options of {@linkcode expireStreams}. */
export interface ExpireStreamsOptions {
  /**
   * Only streams whose path starts with this.
   *
   * @default ""
   */
  prefix?: string;
  /**
   * The clock, in milliseconds since the epoch.
   *
   * @default Date.now
   */
  now?: () => number;
}

/**
 * Removes every expired stream of a store (under a prefix), as reads and
 * writes do lazily when they meet one: soft-deleted while forks read it,
 * otherwise removed with its data. Run it now and then so expired streams
 * nobody touches free their storage.
 *
 * @param store The store.
 * @param options Which streams, and the clock.
 * @returns How many streams expired.
 *
 * @example
 * ```ts
 * import { expireStreams } from "@netscript/plugin-streams-core";
 * import { createMemoryStreamStore } from "@netscript/plugin-streams-core/memory";
 *
 * const store = await createMemoryStreamStore();
 * console.log(await expireStreams(store)); // 0
 * await store.close();
 * ```
 */
export async function expireStreams(
  store: StreamStore,
  options: ExpireStreamsOptions = {},
): Promise<number> {
  const context = createProtocolContext(store, options.now ? { now: options.now } : {});
  let expired = 0;
  let after: string | undefined;
  for (;;) {
    const page = await store.list({
      ...(options.prefix === undefined ? {} : { prefix: options.prefix }),
      ...(after === undefined ? {} : { after }),
      limit: 100,
    });
    for (const { record } of page) {
      if (record.softDeleted || !isExpired(record, context.now())) continue;
      if (await store.commit(await removalWrites(context, record))) expired++;
    }
    if (page.length < 100) return expired;
    after = page.at(-1)!.record.path;
  }
}
