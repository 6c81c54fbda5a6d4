import { configStoreConformance } from "../../testing/mod.ts";
import { createMemoryConfigStore } from "./mod.ts";

Deno.test("createMemoryConfigStore() conforms to the config store port", (t) =>
  configStoreConformance(t, createMemoryConfigStore));
