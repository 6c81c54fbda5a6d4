import { deepEqual, equal, rejects } from "node:assert/strict";
import { z } from "zod";
import { createMemorySagaStore } from "../adapters/memory/mod.ts";
import { defineSaga } from "../dsl/define_saga.ts";
import { MAX_SAGA_VALUE_BYTES } from "../ports/saga_values.ts";
import { createSagaClient } from "./saga_client.ts";

const order = defineSaga({
  name: "order",
  input: z.object({ id: z.string(), total: z.number().positive() }),
  run: () => {},
});
const audit = defineSaga({ name: "audit", input: z.unknown(), run: () => {} });

Deno.test("a start with an id is idempotent; the same id for another saga is a conflict", async () => {
  const store = createMemorySagaStore();
  const sagas = createSagaClient({ store, sagas: [order, audit] });
  const first = await sagas.start(order, { id: "o-1", total: 3 }, { id: "order-o-1" });
  deepEqual(first, { id: "order-o-1", state: "running", created: true });
  deepEqual(await sagas.start("order", { id: "o-1", total: 3 }, { id: "order-o-1" }), {
    ...first,
    created: false,
  });
  equal((await store.list()).total, 1);
  await rejects(sagas.start(audit, {}, { id: "order-o-1" }), {
    code: "SAGAS_ID_CONFLICT",
    message: /taken by a saga of "order", not "audit"/,
  });
  const generated = await sagas.start(audit, { any: "thing" });
  equal(generated.id.length, 36);
  equal((await store.get(generated.id))!.saga.input, '{"any":"thing"}');
  await store.close();
});

Deno.test("a start refuses an unknown name, a bad input, a bad id and a value too large, writing nothing", async () => {
  const store = createMemorySagaStore();
  const sagas = createSagaClient({ store, sagas: [order, audit] });
  await rejects(sagas.start("nope", {}), {
    code: "SAGAS_UNKNOWN_SAGA",
    message: 'No saga is named "nope"; use one of "audit", "order"',
  });
  await rejects(sagas.start(order, { id: 1, total: -1 } as never), (
    error: Error & {
      code: string;
      details: { issues: { path: string }[] };
    },
  ) => {
    equal(error.code, "SAGAS_INVALID_INPUT");
    deepEqual(error.details.issues.map((issue) => issue.path), ["id", "total"]);
    return true;
  });
  for (const id of ["", "has space", "x".repeat(201), "nul\u0000"]) {
    await rejects(sagas.start(audit, {}, { id }), { code: "SAGAS_INVALID_ID" });
  }
  await rejects(sagas.start(audit, "x".repeat(MAX_SAGA_VALUE_BYTES)), {
    code: "SAGAS_VALUE_TOO_LARGE",
  });
  await rejects(sagas.start(audit, { bad: "a\u0000b" }), { code: "SAGAS_NOT_JSON" });
  await rejects(sagas.start(audit, { big: 1n }), { code: "SAGAS_NOT_JSON" });
  equal((await store.list()).total, 0);
  await store.close();
});

Deno.test("cancel, signal and retry name an unknown saga; retry needs a failed one", async () => {
  const store = createMemorySagaStore();
  const sagas = createSagaClient({ store, sagas: [audit] });
  await rejects(sagas.cancel("missing"), { code: "SAGAS_NOT_FOUND" });
  await rejects(sagas.signal("missing", "go"), { code: "SAGAS_NOT_FOUND" });
  await rejects(sagas.retry("missing"), { code: "SAGAS_NOT_FOUND" });
  const { id } = await sagas.start(audit, null);
  await rejects(sagas.retry(id), { code: "SAGAS_NOT_RETRYABLE", message: /is running/ });
  await rejects(sagas.signal(id, "bad name"), RangeError);
  const signal = await sagas.signal(id, "go", { n: 1 });
  deepEqual([signal.name, signal.payload], ["go", '{"n":1}']);
  equal((await sagas.cancel(id)).cancelRequested, true);
  await store.close();
});
