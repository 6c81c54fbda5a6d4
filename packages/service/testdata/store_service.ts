/**
 * A service whose handlers fail the way store adapters do: a store that
 * cannot be reached, tables that are missing, and a plain failure.
 *
 * @module
 */
import { baseContract } from "@netscript/contracts";
import { NetScriptError } from "@netscript/contracts/errors";
import type { Logger } from "@netscript/telemetry";
import { z } from "zod";
import { createService, implement, type Service } from "../mod.ts";

/** The address and password the store errors carry, which no answer may show. */
export const STORE_URL = "postgresql://app:hunter2@db.internal:5432/orders";

export const storeContract = {
  orders: baseContract
    .route({ method: "GET", path: "/orders" })
    .input(z.object({ failure: z.enum(["unreachable", "schema", "unnamed", "none"]) }))
    .output(z.object({ count: z.number() })),
};

export function createStoreService(logger: Logger): Service {
  const os = implement(storeContract);
  const router = os.router({
    orders: os.orders.handler(({ input }) => {
      const details = { target: "db.internal:5432/orders", dependency: "order store" };
      switch (input.failure) {
        case "unreachable":
          throw new NetScriptError(
            "STORE_UNAVAILABLE",
            `Cannot reach the order store at ${STORE_URL}: connect ECONNREFUSED`,
            { details },
          );
        case "schema":
          throw new NetScriptError(
            "SCHEMA_MISSING",
            `The order tables at ${STORE_URL} are missing; run netscript db migrate`,
            { details },
          );
        case "unnamed":
          throw new NetScriptError("STORE_UNAVAILABLE", `Cannot reach ${STORE_URL}`);
        case "none":
          return { count: 0 };
      }
    }),
  });
  return createService({
    name: "orders",
    contract: storeContract,
    router,
    logger,
    healthChecks: {
      store: () => {
        throw new NetScriptError("STORE_UNAVAILABLE", `Cannot reach ${STORE_URL}`, {
          details: { dependency: "order store" },
        });
      },
    },
  });
}
