/**
 * Runtime configuration topics: a plugin declares a topic (a name and a JSON
 * Schema), its processes read the value in force and watch for changes
 * without restarting, and `netscript config set` writes new values. Every
 * value is checked against the schema before it is written, and an invalid
 * stored value is never used: the last valid one stays in force.
 *
 * Values live in a {@linkcode ConfigStore}: `@netscript/runtime-config/kv`
 * (a Deno KV file), `@netscript/runtime-config/postgres` (the table
 * `netscript.config_topics`) or `@netscript/runtime-config/memory` (tests).
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
 *     additionalProperties: false,
 *   },
 *   store,
 * });
 *
 * const stop = new AbortController();
 * const watching = workers.watch((value, revision) => {
 *   console.log(`revision ${revision}: concurrency ${value.concurrency}`);
 * }, { signal: stop.signal });
 *
 * await workers.set({ concurrency: 8 });
 * stop.abort();
 * await watching;
 * await store.close();
 * ```
 *
 * @module
 */
export { CONFIG_ERROR_CODES, type ConfigErrorCode } from "./config_errors.ts";
export {
  compileJsonSchema,
  type CompileJsonSchemaOptions,
  type ConfigIssue,
  type ConfigValidation,
  type JsonSchemaObject,
} from "./config_schema.ts";
export {
  CONFIG_TOPIC_NAME_PATTERN,
  type ConfigStore,
  type ConfigWatchOptions,
  type ConfigWriteOptions,
  type StoredConfig,
} from "./config_store.ts";
export {
  type ConfigListener,
  type ConfigTopic,
  createConfigTopic,
  type CreateConfigTopicOptions,
} from "./config_topic.ts";
export type { ConfigSnapshot } from "./value_in_force.ts";
