/**
 * Type-level tests: the process entrypoints take the generated module's
 * `plugin` and `definitions` as they are, and `openWorkersClient` is typed
 * by each job's file. Checked by the compiler when the file is type-checked.
 */
import { expectTypeOf } from "expect-type";
import { envFrom } from "@netscript/runtime";
import {
  openWorkersClient,
  runCombinedProcess,
  runWorkerProcess,
  serveWorkersApi,
} from "./processes.ts";
import { definitions, plugin } from "./testdata/definitions.ts";

Deno.test("the entrypoints take the generated module's exports as they are", () => {
  expectTypeOf(runWorkerProcess).toBeCallableWith({ plugin, definitions });
  expectTypeOf(runCombinedProcess).toBeCallableWith({ plugin, definitions });
  expectTypeOf(serveWorkersApi).toBeCallableWith({ plugin, definitions });
});

Deno.test("openWorkersClient() enqueues only the workspace's jobs, with their input types", async () => {
  const dir = await Deno.makeTempDir({ prefix: "netscript-workers-types-" });
  const workers = await openWorkersClient({
    plugin,
    definitions,
    env: envFrom({ WORKERS_KV_PATH: `${dir}/workers.kv` }),
  });
  try {
    await workers.client.enqueue("nap", { ms: 1 });
    // @ts-expect-error: no job is named "sleep"
    await workers.client.enqueue("sleep", { ms: 1 }).catch(() => {});
    // @ts-expect-error: "ms" must be a number
    await workers.client.enqueue("nap", { ms: "1" }).catch(() => {});
  } finally {
    await workers.close();
    await Deno.remove(dir, { recursive: true });
  }
});
