/**
 * A plugin process's config topics: the topics its plugin declares, on the
 * workspace's config store, opened when first asked for.
 *
 * @module
 */
import { NetScriptError } from "@netscript/contracts/errors";
import type { PluginRuntime, RuntimeTopic } from "@netscript/plugin";
import {
  type ConfigListener,
  type ConfigStore,
  type ConfigTopic,
  createConfigTopic,
} from "@netscript/runtime-config";
import type { Logger } from "@netscript/telemetry";
import { openConfigStore, selectConfigStore } from "./config_store.ts";
import type { EnvReader } from "@netscript/store";

/** What starts with a process and stops with it. */
export interface ProcessorPart {
  /** Starts the work; resolves once it has stopped (after {@linkcode ProcessorPart.stop}). */
  start(): Promise<void>;
  /** Asks the work to stop; resolves once it has. */
  stop(): Promise<void>;
}

/** The longest pause between two attempts to watch a topic whose store failed. */
const MAX_RETRY_MS = 30_000;

/** The config topics of one process. */
export class PluginConfig {
  readonly #plugin: PluginRuntime;
  readonly #env: EnvReader;
  readonly #logger: Logger;
  readonly #given: ConfigStore | undefined;
  readonly #topics = new Map<string, ConfigTopic<unknown>>();
  #store: Promise<ConfigStore> | undefined;
  #closed = false;

  /**
   * @param plugin The plugin, whose declared topics may be asked for.
   * @param options Where variables are read, the logger, and a store to use instead of the workspace's.
   */
  constructor(
    plugin: PluginRuntime,
    options: { env: EnvReader; logger: Logger; store?: ConfigStore | undefined },
  ) {
    this.#plugin = plugin;
    this.#env = options.env;
    this.#logger = options.logger;
    this.#given = options.store;
  }

  /**
   * The topic the plugin declares under `name`; the store opens on the first call.
   *
   * @param name The topic's name.
   * @returns The topic.
   * @throws {NetScriptError} `RUNTIME_UNKNOWN_TOPIC` when the plugin declares
   * no such topic; `STORE_UNAVAILABLE` when the store cannot be opened (a
   * later call tries again).
   */
  async topic<T>(name: string): Promise<ConfigTopic<T>> {
    const known = this.#topics.get(name);
    if (known !== undefined) return known as ConfigTopic<T>;
    const declared = this.#declared(name);
    const topic = createConfigTopic<T>({
      name,
      schema: declared.schema,
      store: await this.#openStore(),
      logger: this.#logger,
    });
    this.#topics.set(name, topic as ConfigTopic<unknown>);
    return topic;
  }

  /**
   * A part that watches a topic for as long as the process runs: `listener`
   * gets the value in force, then each new valid one. When the store cannot
   * be opened or read, the failure is logged and the watch tried again,
   * after a pause that grows to 30 s.
   *
   * @param name The topic's name.
   * @param listener Called with each value and its revision.
   * @returns The part.
   * @throws {NetScriptError} `RUNTIME_UNKNOWN_TOPIC` when the plugin declares no such topic.
   */
  watch<T>(name: string, listener: ConfigListener<T>): ProcessorPart {
    this.#declared(name);
    const stopping = new AbortController();
    const signal = stopping.signal;
    return {
      start: async () => {
        for (let failures = 0; !signal.aborted;) {
          try {
            const topic = await this.topic<T>(name);
            await topic.watch(listener, { signal });
            failures = 0;
          } catch (error) {
            failures++;
            this.#logger.warn(
              `config topic "${name}" cannot be watched; changes wait until it can`,
              { topic: name, error, failures },
            );
          }
          if (signal.aborted) return;
          await _pause(Math.min(500 * 2 ** failures, MAX_RETRY_MS), signal);
        }
      },
      stop: () => {
        stopping.abort();
        return Promise.resolve();
      },
    };
  }

  /** The topic the plugin declares under `name`, or `RUNTIME_UNKNOWN_TOPIC`. */
  #declared(name: string): RuntimeTopic {
    const declared = this.#plugin.configTopics.find((topic) => topic.name === name);
    if (declared !== undefined) return declared;
    const names = this.#plugin.configTopics.map((topic) => `"${topic.name}"`);
    throw new NetScriptError(
      "RUNTIME_UNKNOWN_TOPIC",
      `Plugin ${this.#plugin.name} declares no config topic "${name}"; ${
        names.length === 0
          ? "declare it with withRuntimeConfigTopics in its manifest and regenerate"
          : `use one of ${names.join(", ")}, or declare it with withRuntimeConfigTopics`
      }`,
      { details: { plugin: this.#plugin.name, topic: name, declared: names } },
    );
  }

  /** Closes the store, when this object opened it. */
  async close(): Promise<void> {
    this.#closed = true;
    const store = this.#store;
    this.#store = undefined;
    if (store !== undefined && this.#given === undefined) {
      await store.then((opened) => opened.close(), () => {/* it never opened */});
    }
  }

  #openStore(): Promise<ConfigStore> {
    if (this.#given !== undefined) return Promise.resolve(this.#given);
    if (this.#closed) {
      return Promise.reject(new Error("The process is stopping; its config store is closed"));
    }
    this.#store ??= openConfigStore(this.#env, { logger: this.#logger }).then((store) => {
      this.#logger.info("config store open", {
        store: selectConfigStore(this.#env).kind,
        location: selectConfigStore(this.#env).location,
      });
      return store;
    }, (error) => {
      this.#store = undefined;
      throw error;
    });
    return this.#store;
  }
}

function _pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
