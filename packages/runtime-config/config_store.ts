/**
 * The config store port: where config topic values live, with a revision per
 * topic and a way to watch for changes. Adapters: memory, Deno KV, PostgreSQL.
 *
 * @module
 */

/** One stored value of a config topic. */
export interface StoredConfig {
  /** The topic's name, e.g. `workers`. */
  topic: string;
  /** The value, as parsed from its JSON form (never shared with the caller who wrote it). */
  value: unknown;
  /** The topic's revision: 1 for the first write, then one more for each write. */
  revision: number;
  /** When this revision was written, as an ISO 8601 timestamp. */
  updatedAt: string;
}

/** Options of {@linkcode ConfigStore.write}. */
export interface ConfigWriteOptions {
  /**
   * Write only if the topic is at this revision (0: only if nothing is
   * stored yet); otherwise the write is refused with
   * `CONFIG_REVISION_CONFLICT`.
   * @default {undefined (write whatever the current revision)}
   */
  expectedRevision?: number;
}

/** Options of {@linkcode ConfigStore.watch}. */
export interface ConfigWatchOptions {
  /** Ends the watch: the iteration finishes once it aborts. */
  signal: AbortSignal;
}

/**
 * Where config topic values are kept. Revisions are per topic, whole
 * numbers that start at 1 and grow by one with each write. Values are stored
 * as JSON: what a read returns is a fresh copy.
 *
 * @example
 * ```ts
 * import { createMemoryConfigStore } from "@netscript/runtime-config/memory";
 *
 * const store = await createMemoryConfigStore();
 * await store.write("workers", { concurrency: 4 });
 * console.log(await store.read("workers")); // { topic: "workers", revision: 1, … }
 * await store.close();
 * ```
 */
export interface ConfigStore {
  /**
   * Reads the current value of a topic.
   *
   * @param topic The topic's name.
   * @returns The stored value, or `undefined` when nothing was ever written.
   */
  read(topic: string): Promise<StoredConfig | undefined>;

  /**
   * Writes a new value: the topic's revision grows by one.
   *
   * @param topic The topic's name.
   * @param value Any JSON value.
   * @param options The revision the caller expects the topic to be at.
   * @returns The stored value with its new revision.
   * @throws {NetScriptError} `CONFIG_REVISION_CONFLICT` when `expectedRevision`
   * is given and the topic is at another revision.
   * @throws {TypeError} When the value cannot be written as JSON.
   */
  write(topic: string, value: unknown, options?: ConfigWriteOptions): Promise<StoredConfig>;

  /**
   * Watches a topic: yields its current value (or `undefined`) first, then
   * each newer revision. Values written in quick succession may be
   * coalesced, but the latest is never missed, even across a lost
   * connection. Ends when the signal aborts or the store closes.
   *
   * @param topic The topic's name.
   * @param options The signal that ends the watch.
   * @returns The values, in increasing revision order.
   */
  watch(topic: string, options: ConfigWatchOptions): AsyncIterable<StoredConfig | undefined>;

  /**
   * Ends every watch and releases the store's connections or files.
   *
   * @returns When everything is released.
   */
  close(): Promise<void>;
}

/**
 * The rule for topic names: lowercase letters, digits and `.`, `_`, `:`,
 * `/`, `-`, starting with a letter or digit, at most 128 characters.
 */
export const CONFIG_TOPIC_NAME_PATTERN: RegExp = /^[a-z0-9][a-z0-9._:/-]{0,127}$/;
