import { createLogger, type Logger } from "@netscript/telemetry";
import { checkTopic } from "./_store_input.ts";
import { configInvalidError } from "./config_errors.ts";
import {
  compileJsonSchema,
  type ConfigValidation,
  type JsonSchemaObject,
} from "./config_schema.ts";
import type { ConfigStore, ConfigWatchOptions, ConfigWriteOptions } from "./config_store.ts";
import { type ConfigSnapshot, ValueInForce } from "./value_in_force.ts";

/** Called with each new valid value of a watched topic. */
export type ConfigListener<T> = (value: T, revision: number) => void | Promise<void>;

/** Options of {@linkcode createConfigTopic}. */
export interface CreateConfigTopicOptions {
  /** The topic's name, e.g. `workers`; see `CONFIG_TOPIC_NAME_PATTERN`. */
  name: string;
  /** The JSON Schema every value must match; its `default`s fill missing settings. */
  schema: JsonSchemaObject;
  /** Where the values are kept. */
  store: ConfigStore;
  /**
   * Where invalid stored values and failing listeners are reported.
   * @default {a JSON logger for service "netscript-config"}
   */
  logger?: Logger;
}

/** A config topic: a named, schema-checked value that processes read and watch. */
export interface ConfigTopic<T> {
  /** The topic's name. */
  readonly name: string;
  /** Its JSON Schema. */
  readonly schema: JsonSchemaObject;
  /**
   * Checks a value against the schema, on a copy with the defaults filled in.
   *
   * @param value Any value.
   * @returns The copy with defaults, or the issues.
   */
  validate(value: unknown): ConfigValidation<T>;
  /**
   * Reads the value in force: the stored one if valid; the schema's
   * defaults (revision 0) when nothing is stored; the last valid value (or
   * the defaults) when the stored one is invalid, with a warning.
   *
   * @returns The value and its revision.
   * @throws {NetScriptError} `CONFIG_NOT_SET` when nothing is stored and the
   * defaults are not valid; `CONFIG_VALUE_INVALID` when the stored value is
   * invalid and there is nothing valid to fall back to.
   */
  get(): Promise<ConfigSnapshot<T>>;
  /**
   * Validates a value and, only if valid, stores it.
   *
   * @param value The new value.
   * @param options The revision the caller expects the topic to be at.
   * @returns The value with defaults filled in and its new revision.
   * @throws {NetScriptError} `CONFIG_VALUE_INVALID` (nothing written) or
   * `CONFIG_REVISION_CONFLICT`.
   */
  set(value: unknown, options?: ConfigWriteOptions): Promise<ConfigSnapshot<T>>;
  /**
   * Calls `listener` with the value in force, then with each new valid
   * value. An invalid stored value is logged and skipped (the last valid
   * one stays in force); a listener that throws is logged and the watch
   * goes on.
   *
   * @param listener Called with each value and its revision, one call at a time.
   * @param options The signal that ends the watch.
   * @returns When the signal aborts (or the store closes).
   */
  watch(listener: ConfigListener<T>, options: ConfigWatchOptions): Promise<void>;
}

/**
 * Creates a config topic on a store: reads, watches and writes of one
 * schema-checked value.
 *
 * @param options The name, the JSON Schema, the store and the logger.
 * @returns The topic.
 * @throws {TypeError} When the name is not a valid topic name or the schema
 * is not a valid JSON Schema.
 *
 * @example
 * ```ts
 * import { createConfigTopic } from "@netscript/runtime-config";
 * import { createMemoryConfigStore } from "@netscript/runtime-config/memory";
 *
 * const store = await createMemoryConfigStore();
 * const workers = createConfigTopic<{ concurrency: number }>({
 *   name: "workers",
 *   schema: {
 *     type: "object",
 *     properties: { concurrency: { type: "integer", minimum: 1, default: 2 } },
 *   },
 *   store,
 * });
 * console.log(await workers.get()); // { value: { concurrency: 2 }, revision: 0 }
 * await workers.set({ concurrency: 8 });
 * console.log((await workers.get()).value.concurrency); // 8
 * await store.close();
 * ```
 */
export function createConfigTopic<T = unknown>(options: CreateConfigTopicOptions): ConfigTopic<T> {
  const { name, schema, store } = options;
  checkTopic(name);
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) {
    throw new TypeError(`The schema of config topic "${name}" must be a JSON Schema object`);
  }
  const logger = options.logger ?? createLogger({ service: "netscript-config" });
  const validate = compileJsonSchema<T>(schema, { subject: `config topic "${name}"`, logger });
  const inForce = new ValueInForce<T>({ topic: name, validate, logger });

  return {
    name,
    schema,
    validate,
    async get() {
      return inForce.current(await store.read(name));
    },
    async set(value, setOptions?: ConfigWriteOptions) {
      const result = validate(value);
      if (!result.ok) throw configInvalidError(name, result.issues);
      const written = await store.write(name, value, setOptions);
      inForce.written(written);
      return { value: result.value, revision: written.revision };
    },
    async watch(listener, { signal }) {
      let delivered: number | undefined;
      for await (const stored of store.watch(name, { signal })) {
        const next = inForce.next(stored, delivered === undefined);
        if (next === undefined || next.revision === delivered) continue;
        delivered = next.revision;
        try {
          await listener(next.value, next.revision);
        } catch (error) {
          logger.error(
            `A listener of config topic "${name}" failed on revision ${next.revision}; the watch goes on`,
            { topic: name, revision: next.revision, error },
          );
        }
      }
    },
  };
}
