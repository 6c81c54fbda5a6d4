import * as glue from "@prisma/schema-engine-wasm/schema_engine_bg";
import prismaPackage from "prisma/package.json" with { type: "json" };
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";

/** The Prisma version whose schema engine NetScript runs; a test pins it. */
export const PRISMA_VERSION: string = prismaPackage.version;

/** The schema engine compiled to WebAssembly, as the glue module exposes it. */
export type SchemaEngine = glue.SchemaEngine;

/** One schema file handed to the engine. */
export interface EngineSchemaFile {
  /** The file's path, used in the engine's messages. */
  path: string;
  /** Its text. */
  content: string;
}

let loaded: Promise<typeof glue> | undefined;

/**
 * Instantiates the WebAssembly schema engine once per process. The wasm is
 * the one `prisma@7.10.1` ships (`build/schema_engine_bg.wasm`, the engine
 * commit its CLI expects); the JS glue of `@prisma/schema-engine-wasm` drives
 * it (same imports and exports). The file is found next to the package's
 * `package.json`, which `import.meta.resolve` locates in the npm cache (or
 * `node_modules`) whether this module was loaded from a file or from JSR.
 *
 * @returns The glue module, bound to the instance.
 */
export function loadSchemaEngine(): Promise<typeof glue> {
  loaded ??= (async () => {
    const registry = { message: "" };
    (globalThis as Record<string, unknown>).PRISMA_WASM_PANIC_REGISTRY ??= {
      get: () => registry.message,
      set_message: (message: string) => {
        registry.message = `RuntimeError: ${message}`;
      },
    };
    const bytes = await Deno.readFile(
      new URL("build/schema_engine_bg.wasm", import.meta.resolve("prisma/package.json")),
    );
    const { instance } = await WebAssembly.instantiate(bytes, {
      "./schema_engine_bg.js": glue as unknown as WebAssembly.ModuleImports,
    });
    (glue as unknown as { __wbg_set_wasm(exports: unknown): void }).__wbg_set_wasm(
      instance.exports,
    );
    (instance.exports as { __wbindgen_start(): void }).__wbindgen_start();
    return glue;
  })();
  return loaded;
}

/**
 * Opens a schema engine connected through a migration-aware adapter factory.
 *
 * @param factory The adapter factory (it also opens shadow databases).
 * @param files The schema files.
 * @returns The engine; call `free()` when done.
 */
export async function openSchemaEngine(
  factory: SqlMigrationAwareDriverAdapterFactory,
  files: readonly EngineSchemaFile[],
): Promise<SchemaEngine> {
  const { SchemaEngine } = await loadSchemaEngine();
  return await SchemaEngine.new(
    { datamodels: files.map((f) => [f.path, f.content] as [string, string]) },
    () => {},
    bindMigrationAwareSqlAdapterFactory(factory),
  );
}

/** The engine's version (its git commit). */
export async function schemaEngineVersion(): Promise<string> {
  return (await loadSchemaEngine()).version();
}
