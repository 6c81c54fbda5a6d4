import { equal, ok, rejects } from "node:assert/strict";
import { join } from "node:path";
import { isNetScriptError } from "@netscript/contracts/errors";
import { defineSaga } from "@netscript/plugin-sagas";
import { createKvSagaStore } from "@netscript/plugin-sagas-core/kv";
import { envFrom, type EnvReader } from "@netscript/runtime";
import { createLogger } from "@netscript/telemetry";
import { z } from "zod";
import { createLazySagaStarter, hasSagasPlugin } from "./saga_starter.ts";

const refund = defineSaga({
  name: "refund-order",
  input: z.object({ orderId: z.string() }),
  run: () => {},
});
const logger = createLogger({ service: "test", sink: () => {} });

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

Deno.test("hasSagasPlugin() reads the discovery variables of sagas-api", () => {
  equal(hasSagasPlugin(envFrom({})), false);
  equal(hasSagasPlugin(envFrom({ "services__sagas-api__http__0": "" })), false);
  equal(hasSagasPlugin(envFrom({ "services__streams-api__http__0": "http://x:1" })), false);
  equal(hasSagasPlugin(envFrom({ "services__sagas-api__http__0": "http://x:8092" })), true);
  equal(hasSagasPlugin(envFrom({ SAGAS_API_HTTP: "http://x:8092" })), true);
});

Deno.test("createLazySagaStarter() opens the saga store on its first start, starts each id once, and closes it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "triggers-sagas-" });
  const path = join(dir, "data", "sagas.kv");
  const starter = createLazySagaStarter(envFrom({ SAGAS_KV_PATH: path }), logger);
  try {
    equal(await exists(path), false, "nothing is opened before a saga is started");
    const first = await starter.start(refund, { orderId: "o-1" }, { id: "trigger-delivery-a" });
    const again = await starter.start(refund, { orderId: "o-1" }, { id: "trigger-delivery-a" });
    equal(first.created, true);
    equal(again.created, false);
    equal(again.id, "trigger-delivery-a");
    await rejects(
      starter.start(refund, { orderId: 1 } as never, { id: "trigger-delivery-b" }),
      (error) => isNetScriptError(error, "SAGAS_INVALID_INPUT"),
    );
    await starter.close();
    await rejects(
      starter.start(refund, { orderId: "o-2" }, { id: "trigger-delivery-c" }),
      /stopping/,
    );
    const store = await createKvSagaStore({ path });
    try {
      equal((await store.list()).total, 1, "one saga, in the store the environment selects");
    } finally {
      await store.close();
    }
  } finally {
    await starter.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("createLazySagaStarter() tries a failed open again on the next start", async () => {
  const dir = await Deno.makeTempDir({ prefix: "triggers-sagas-" });
  const values = new Map([["SAGAS_STORE", "redis"], ["SAGAS_KV_PATH", join(dir, "sagas.kv")]]);
  const env: EnvReader = { get: (name) => values.get(name) };
  const starter = createLazySagaStarter(env, logger);
  try {
    await rejects(
      starter.start(refund, { orderId: "o-1" }, { id: "trigger-delivery-a" }),
      (error) => isNetScriptError(error, "STORE_INVALID"),
    );
    values.delete("SAGAS_STORE");
    const started = await starter.start(refund, { orderId: "o-1" }, { id: "trigger-delivery-a" });
    ok(started.created);
  } finally {
    await starter.close();
    await Deno.remove(dir, { recursive: true });
  }
});
