import { sagaStoreConformance } from "../../testing/mod.ts";
import { createMemorySagaStore } from "./mod.ts";

Deno.test("createMemorySagaStore() passes the saga store conformance suite", (t) =>
  sagaStoreConformance(t, () => Promise.resolve(createMemorySagaStore())));
