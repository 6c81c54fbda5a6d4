/**
 * Type-level tests: a topic's type parameter flows into what it reads,
 * validates and delivers. Checked by the compiler when this file is
 * type-checked.
 */
import { expectTypeOf } from "expect-type";
import { createMemoryConfigStore } from "./adapters/memory/mod.ts";
import {
  type ConfigErrorCode,
  type ConfigIssue,
  type ConfigSnapshot,
  type ConfigTopic,
  createConfigTopic,
} from "./mod.ts";

Deno.test("createConfigTopic<T>() types get(), set(), validate() and the watch listener", async () => {
  const store = await createMemoryConfigStore();
  try {
    const workers = createConfigTopic<{ concurrency?: number }>({
      name: "workers",
      schema: { type: "object", properties: { concurrency: { type: "integer", default: 1 } } },
      store,
    });
    expectTypeOf(workers).toEqualTypeOf<ConfigTopic<{ concurrency?: number }>>();
    expectTypeOf(workers.get).returns.toEqualTypeOf<
      Promise<{ value: { concurrency?: number }; revision: number }>
    >();
    const current = await workers.get();
    expectTypeOf(current.value.concurrency).toEqualTypeOf<number | undefined>();
    expectTypeOf(workers.set).returns.toEqualTypeOf<
      Promise<ConfigSnapshot<{ concurrency?: number }>>
    >();
    expectTypeOf(workers.set).parameter(0).toEqualTypeOf<unknown>();
    const result = workers.validate({});
    if (result.ok) expectTypeOf(result.value).toEqualTypeOf<{ concurrency?: number }>();
    else expectTypeOf(result.issues).toEqualTypeOf<ConfigIssue[]>();
    expectTypeOf(workers.watch).parameter(0).parameters.toEqualTypeOf<
      [value: { concurrency?: number }, revision: number]
    >();
  } finally {
    await store.close();
  }
});

Deno.test("createConfigTopic() without a type parameter reads unknown", async () => {
  const store = await createMemoryConfigStore();
  try {
    const anything = createConfigTopic({ name: "anything", schema: {}, store });
    expectTypeOf(anything.get).returns.resolves.toHaveProperty("value").toEqualTypeOf<unknown>();
  } finally {
    await store.close();
  }
});

Deno.test("ConfigErrorCode is the union of the catalog's codes", () => {
  expectTypeOf<ConfigErrorCode>().toEqualTypeOf<
    "CONFIG_VALUE_INVALID" | "CONFIG_NOT_SET" | "CONFIG_REVISION_CONFLICT" | "STORE_UNAVAILABLE"
  >();
});
