import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { isNetScriptError } from "@netscript/contracts/errors";
import type { DeliveryStore } from "../../ports/delivery_store.ts";
import { deliveryStoreConformance } from "../../testing/mod.ts";
import { openKvDeliveryStore } from "./mod.ts";

async function withDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "netscript-kv-triggers-" });
  try {
    await body(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("openKvDeliveryStore() conforms to the delivery store port, a second handle as the peer", (t) =>
  withDir(async (dir) => {
    const files = new Map<DeliveryStore, string>();
    let opened = 0;
    await deliveryStoreConformance(
      t,
      async () => {
        const path = `${dir}/step-${opened++}.kv`;
        const store = await openKvDeliveryStore(path);
        files.set(store, path);
        return store;
      },
      { peer: (store) => openKvDeliveryStore(files.get(store)!) },
    );
  }));

Deno.test("openKvDeliveryStore() keeps a payload over KV's 64 KiB value limit in parts", () =>
  withDir(async (dir) => {
    const store = await openKvDeliveryStore(`${dir}/triggers.kv`);
    try {
      const payload = {
        text: "é".repeat(150_000),
        list: Array.from({ length: 1_000 }, (_, i) => i),
      };
      const headers = { "x-big": "h".repeat(70_000) };
      const { id } = await store.record({
        trigger: "big",
        source: "webhook",
        key: "b",
        payload,
        headers,
      });
      const got = (await store.get(id))!;
      deepEqual(got.payload, payload);
      deepEqual(got.headers, headers);
      const [claimed] = await store.claim({ owner: "p", limit: 1, leaseMs: 60_000 });
      deepEqual(claimed?.payload, payload);
      await rejects(
        store.record({ trigger: "big", source: "webhook", key: "c", payload: "x".repeat(800_000) }),
        RangeError,
      );
      equal((await store.list()).total, 1, "the refused delivery wrote nothing");
    } finally {
      await store.close();
    }
  }));

Deno.test("openKvDeliveryStore() reports a file that is not a KV store as STORE_UNAVAILABLE", () =>
  withDir(async (dir) => {
    const path = `${dir}/garbage.kv`;
    await Deno.writeTextFile(path, "not a database ".repeat(100));
    await rejects(openKvDeliveryStore(path), (error) => {
      ok(isNetScriptError(error, "STORE_UNAVAILABLE"), String(error));
      equal(error.details.dependency, "delivery store");
      return true;
    });
  }));
