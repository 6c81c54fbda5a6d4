/**
 * A config store in this process's memory, for tests and single-process
 * development: values are gone when the process ends, and other processes
 * do not see them.
 *
 * @example
 * ```ts
 * import { createMemoryConfigStore } from "@netscript/runtime-config/memory";
 *
 * const store = await createMemoryConfigStore();
 * await store.write("workers", { concurrency: 4 });
 * console.log((await store.read("workers"))?.value); // { concurrency: 4 }
 * await store.close();
 * ```
 *
 * @module
 */
export { createMemoryConfigStore } from "./memory_config_store.ts";
