import { deliveryStoreConformance } from "../../testing/mod.ts";
import { createMemoryDeliveryStore } from "./mod.ts";

Deno.test("the memory delivery store passes the delivery store conformance suite", (t) =>
  deliveryStoreConformance(t, () => Promise.resolve(createMemoryDeliveryStore())));
