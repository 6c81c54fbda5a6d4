import { dirname } from "node:path";
import { NetScriptError } from "@netscript/contracts/errors";
import { waitForKvChange } from "@netscript/store/kv";
import { createLogger, type Logger } from "@netscript/telemetry";
import { checkExpectedRevision, checkTopic, encodeValue } from "../../_store_input.ts";
import { StoreWatches } from "../../_watch_revisions.ts";
import { revisionConflictError } from "../../config_errors.ts";
import type { ConfigStore, ConfigWriteOptions, StoredConfig } from "../../config_store.ts";

/** Options of {@linkcode createKvConfigStore}. */
export interface CreateKvConfigStoreOptions {
  /** The Deno KV (SQLite) file; its folder is created when missing. */
  path: string;
  /**
   * How often a watch reads its topic again, to see writes made by other
   * processes: `kv.watch` reports only this process's writes at once.
   * @default {500}
   */
  pollMs?: number;
  /**
   * Where a watch reports a failed read.
   * @default {a JSON logger for service "netscript-config"}
   */
  logger?: Logger;
}

/** The key of a topic's value in the KV store. */
const KEY_PREFIX = ["netscript", "config"] as const;

/** A stored revision, with the value as JSON text. */
interface KvRecord {
  json: string;
  revision: number;
  updatedAt: string;
}

/**
 * Opens a config store on a Deno KV file, for a workspace on one machine:
 * every process that opens the same file shares the values. A write is an
 * atomic check of the topic's entry, so concurrent writers get distinct
 * revisions. A watch wakes at once on this process's writes (`kv.watch`)
 * and reads every `pollMs` for other processes' writes. Needs
 * `--unstable-kv` (or `"unstable": ["kv"]` in `deno.json`).
 *
 * @param options The file, the polling interval and the logger.
 * @returns The store; `close()` closes the file.
 * @throws {NetScriptError} `STORE_UNAVAILABLE` when Deno KV is not enabled
 * or the file cannot be opened (not a KV file, no permission).
 *
 * @example
 * ```ts
 * import { createKvConfigStore } from "@netscript/runtime-config/kv";
 *
 * const dir = await Deno.makeTempDir();
 * const store = await createKvConfigStore({ path: `${dir}/config/config.sqlite3` });
 * await store.write("workers", { concurrency: 4 });
 * console.log((await store.read("workers"))?.revision); // 1
 * await store.close();
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function createKvConfigStore(
  options: CreateKvConfigStoreOptions,
): Promise<ConfigStore> {
  const { path } = options;
  const pollMs = options.pollMs ?? 500;
  if (!(pollMs > 0)) throw new RangeError(`Invalid pollMs ${pollMs}: it must be more than 0`);
  const logger = options.logger ?? createLogger({ service: "netscript-config" });
  const kv = await _openKv(path);
  const watches = new StoreWatches();
  let closed = false;

  const read = async (topic: string): Promise<StoredConfig | undefined> => {
    const entry = await kv.get<KvRecord>([...KEY_PREFIX, topic]);
    return entry.value === null ? undefined : _stored(topic, entry.value);
  };

  return {
    async read(topic) {
      checkTopic(topic);
      return await read(topic);
    },
    async write(topic, value, writeOptions?: ConfigWriteOptions) {
      checkTopic(topic);
      const expected = checkExpectedRevision(writeOptions);
      const json = encodeValue(topic, value);
      const key = [...KEY_PREFIX, topic];
      for (;;) {
        const entry = await kv.get<KvRecord>(key);
        const current = entry.value?.revision ?? 0;
        if (expected !== undefined && expected !== current) {
          throw revisionConflictError(topic, expected, current);
        }
        const record: KvRecord = {
          json,
          revision: current + 1,
          updatedAt: new Date().toISOString(),
        };
        const result = await _commit(topic, kv.atomic().check(entry).set(key, record));
        if (result.ok) return _stored(topic, record);
      }
    },
    watch(topic, { signal }) {
      checkTopic(topic);
      return watches.watch({
        read: () => read(topic),
        listen: (wake) => _listen(kv, [...KEY_PREFIX, topic], pollMs, wake),
        signal,
        onReadError(error, failures) {
          logger.warn(`Cannot read config topic "${topic}" from the KV store; retrying`, {
            topic,
            path,
            failures,
            error,
          });
        },
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      await watches.close();
      kv.close();
    },
  };
}

/**
 * Wakes whenever the topic's entry changes: `kv.watch` sees this process's
 * writes, and `@netscript/store`'s `waitForKvChange` also polls every
 * `pollMs` for other processes' writes, which `kv.watch` does not report.
 */
function _listen(kv: Deno.Kv, key: Deno.KvKey, pollMs: number, wake: () => void) {
  const stop = new AbortController();
  const loop = (async () => {
    // Matches no versionstamp, so the first wait reports the entry as it is.
    let seen: string | null = "";
    try {
      while (!stop.signal.aborted) {
        const now = await waitForKvChange(kv, key, {
          seen,
          timeoutMs: LISTEN_TIMEOUT_MS,
          pollMs,
          signal: stop.signal,
        });
        if (now !== seen && !stop.signal.aborted) wake();
        seen = now;
      }
    } catch {
      // The store closed under the watch; the watch stops with it.
    }
  })();
  return async () => {
    stop.abort();
    await loop;
  };
}

/** How long one wait for a change lasts before it is started again. */
const LISTEN_TIMEOUT_MS = 60_000;

/** Commits, turning Deno KV's size limit into a message that says what to do. */
async function _commit(
  topic: string,
  operation: Deno.AtomicOperation,
): Promise<Deno.KvCommitResult | Deno.KvCommitError> {
  try {
    return await operation.commit();
  } catch (error) {
    if (error instanceof TypeError && /too large/i.test(error.message)) {
      throw new RangeError(
        `Cannot store the value of config topic "${topic}": ${error.message}; keep config small or use the PostgreSQL store`,
        { cause: error },
      );
    }
    throw error;
  }
}

function _stored(topic: string, record: KvRecord): StoredConfig {
  return {
    topic,
    value: JSON.parse(record.json),
    revision: record.revision,
    updatedAt: record.updatedAt,
  };
}

async function _openKv(path: string): Promise<Deno.Kv> {
  const unavailable = (reason: string, cause?: unknown) =>
    new NetScriptError(
      "STORE_UNAVAILABLE",
      `Cannot open the config store at "${path}": ${reason}`,
      { details: { path }, ...(cause === undefined ? {} : { cause }) },
    );
  if (typeof path !== "string" || path === "") {
    throw new TypeError(`Invalid KV path ${JSON.stringify(path)}: give the file to keep config in`);
  }
  if (typeof Deno.openKv !== "function") {
    throw unavailable(
      'Deno KV is not enabled; run with --unstable-kv or add "unstable": ["kv"] to deno.json',
    );
  }
  try {
    if (path !== ":memory:") await Deno.mkdir(dirname(path), { recursive: true });
    return await Deno.openKv(path);
  } catch (error) {
    throw unavailable(
      `${
        (error as Error).message
      }; check that the path names a Deno KV (SQLite) file, or none yet, in a folder this process may write`,
      error,
    );
  }
}
