import { equal, ok, rejects } from "node:assert/strict";
import { isNetScriptError } from "@netscript/contracts";
import { createLogger } from "@netscript/telemetry";
import { deliveryStoreConformance } from "../../testing/mod.ts";
import { createPostgresDeliveryStore } from "./mod.ts";
import { pgTest, truncateTriggersTables } from "./testdata/triggers_database.ts";

const quiet = createLogger({ service: "triggers-test", sink: () => {} });

pgTest(
  "createPostgresDeliveryStore() conforms to the delivery store port, a second pool as the peer",
  (database, t) =>
    deliveryStoreConformance(
      t,
      async () => {
        await truncateTriggersTables(database.url);
        return createPostgresDeliveryStore({ url: database.url, logger: quiet });
      },
      {
        peer: () =>
          Promise.resolve(createPostgresDeliveryStore({ url: database.url, logger: quiet })),
      },
    ),
);

pgTest(
  "createPostgresDeliveryStore() reports missing tables as SCHEMA_MISSING",
  async (database) => {
    const store = createPostgresDeliveryStore({ url: database.url, logger: quiet });
    try {
      await rejects(
        store.record({ trigger: "github", source: "webhook", payload: {} }),
        (error) => {
          ok(isNetScriptError(error, "SCHEMA_MISSING"), String(error));
          equal(error.details.dependency, "delivery store");
          return true;
        },
      );
    } finally {
      await store.close();
    }
  },
  { tables: false },
);

Deno.test("createPostgresDeliveryStore() reports a server it cannot reach as STORE_UNAVAILABLE", async () => {
  const store = createPostgresDeliveryStore({
    url: "postgresql://postgres@127.0.0.1:1/nowhere",
    logger: quiet,
  });
  try {
    await rejects(store.stats(), (error) => {
      ok(isNetScriptError(error, "STORE_UNAVAILABLE"), String(error));
      equal(error.details.dependency, "delivery store");
      return true;
    });
  } finally {
    await store.close();
  }
});

Deno.test("createPostgresDeliveryStore() refuses both a url and a pool", () => {
  let thrown: unknown;
  try {
    createPostgresDeliveryStore({ url: "postgresql://x@127.0.0.1/db", pool: {} as never });
  } catch (error) {
    thrown = error;
  }
  ok(thrown instanceof TypeError);
});
