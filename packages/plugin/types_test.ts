/**
 * Type-level tests: manifests keep the literal names they were given. Checked
 * by the compiler when this file is type-checked.
 */
import { expectTypeOf } from "expect-type";
import { definePlugin, type PluginManifest } from "./mod.ts";

const manifest = definePlugin("workers", "0.1.0")
  .withType("background-processor")
  .withService({ name: "workers-api", entrypoint: "./services/src/main.ts", port: 8091 })
  .withBackgroundProcessor({
    name: "workers-worker",
    entrypoint: "./bin/worker.ts",
    concurrency: 2,
  })
  .withBackgroundProcessor({ name: "workers-scheduler", entrypoint: "./bin/scheduler.ts" })
  .build();

Deno.test("built manifests keep literal names and types", () => {
  expectTypeOf(manifest.name).toEqualTypeOf<"workers">();
  expectTypeOf(manifest.type).toEqualTypeOf<"background-processor">();
  expectTypeOf(manifest.services[0].name).toEqualTypeOf<"workers-api">();
  expectTypeOf(manifest.services[0].port).toEqualTypeOf<8091>();
  expectTypeOf(manifest.processors[1].name).toEqualTypeOf<"workers-scheduler">();
  expectTypeOf(manifest.services).toHaveProperty("length").toEqualTypeOf<1>();
  expectTypeOf(manifest).toExtend<PluginManifest>();
});

Deno.test("a library plugin has no services or processors in its type", () => {
  const library = definePlugin("schemas", "1.0.0").build();
  expectTypeOf(library.type).toEqualTypeOf<"library">();
  expectTypeOf(library.services).toEqualTypeOf<readonly []>();
});

Deno.test("the builder rejects values outside the vocabulary at compile time", () => {
  expectTypeOf(misuse).toBeFunction();
});

/** Never called: only compiled. */
function misuse() {
  // @ts-expect-error: not a plugin type
  definePlugin("x", "1.0.0").withType("daemon");
  // @ts-expect-error: a service needs a port
  definePlugin("x", "1.0.0").withService({ name: "api", entrypoint: "./a.ts" });
  // @ts-expect-error: not an engine
  definePlugin("x", "1.0.0").withDbSchemas([{ path: "./a.prisma", engine: "oracle" }]);
  definePlugin("x", "1.0.0").withBackgroundProcessor({
    name: "w",
    entrypoint: "./w.ts",
    // @ts-expect-error: "all" is not a permission
    permissions: { all: true },
  });
}
