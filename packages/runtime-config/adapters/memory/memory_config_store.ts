import { checkExpectedRevision, checkTopic, encodeValue } from "../../_store_input.ts";
import { StoreWatches } from "../../_watch_revisions.ts";
import { revisionConflictError } from "../../config_errors.ts";
import type { ConfigStore, ConfigWriteOptions, StoredConfig } from "../../config_store.ts";

/** A stored revision, with the value kept as JSON text so every read gets a fresh copy. */
interface MemoryRecord {
  readonly json: string;
  readonly revision: number;
  readonly updatedAt: string;
}

/**
 * Creates a config store that keeps values in this process's memory, for
 * tests and single-process development: nothing survives the process, and
 * other processes do not see it.
 *
 * @returns An empty store.
 *
 * @example
 * ```ts
 * import { createMemoryConfigStore } from "@netscript/runtime-config/memory";
 *
 * const store = await createMemoryConfigStore();
 * const { revision } = await store.write("workers", { concurrency: 4 });
 * console.log(revision); // 1
 * await store.close();
 * ```
 */
export function createMemoryConfigStore(): Promise<ConfigStore> {
  const records = new Map<string, MemoryRecord>();
  const listeners = new Map<string, Set<() => void>>();
  const watches = new StoreWatches();

  const read = (topic: string): StoredConfig | undefined => {
    const record = records.get(topic);
    if (record === undefined) return undefined;
    return {
      topic,
      value: JSON.parse(record.json),
      revision: record.revision,
      updatedAt: record.updatedAt,
    };
  };

  const store: ConfigStore = {
    // deno-lint-ignore require-await
    async read(topic) {
      checkTopic(topic);
      return read(topic);
    },
    // deno-lint-ignore require-await
    async write(topic, value, options?: ConfigWriteOptions) {
      checkTopic(topic);
      const expected = checkExpectedRevision(options);
      const json = encodeValue(topic, value);
      const current = records.get(topic)?.revision ?? 0;
      if (expected !== undefined && expected !== current) {
        throw revisionConflictError(topic, expected, current);
      }
      records.set(topic, { json, revision: current + 1, updatedAt: new Date().toISOString() });
      for (const wake of listeners.get(topic) ?? []) wake();
      return read(topic)!;
    },
    watch(topic, { signal }) {
      checkTopic(topic);
      return watches.watch({
        read: () => Promise.resolve(read(topic)),
        listen(wake) {
          let topicListeners = listeners.get(topic);
          if (topicListeners === undefined) listeners.set(topic, topicListeners = new Set());
          topicListeners.add(wake);
          return () => {
            topicListeners.delete(wake);
            if (topicListeners.size === 0) listeners.delete(topic);
          };
        },
        signal,
        onReadError() {/* reading memory does not fail */},
      });
    },
    close: () => watches.close(),
  };
  return Promise.resolve(store);
}
