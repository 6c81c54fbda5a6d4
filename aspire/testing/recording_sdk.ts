/**
 * A recording stand-in for Aspire's generated TypeScript AppHost SDK
 * (`.aspire/modules/aspire.mjs`): a test double that implements exactly the
 * surface declared in `../sdk/aspire-13.5.2.d.mts`, records every resource,
 * and on `build().run()` writes what Aspire's `publish-manifest` step would
 * (`aspire-manifest.json`) plus what that manifest leaves out
 * (`aspire-relations.json`: OTLP protocol, health path, waits, parent).
 * Nothing is started. Aspire's rules for names, references and environment
 * variables are applied, and misuse is rejected as Aspire rejects it.
 *
 * The manifest goes to `$ASPIRE_MANIFEST_PATH`, or `aspire-manifest.json` in
 * the current directory; the relations file goes next to it.
 *
 * @module
 */
import { resolve } from "node:path";
import type * as Sdk from "../sdk/aspire-13.5.2.d.mts";
import { createRecordingBuilder } from "./builder.ts";

export { OtlpProtocol, WaitBehavior } from "./enums.ts";

/**
 * `createBuilder`, as the AppHost calls it: the AppHost's folder is
 * `options.projectDirectory`, `$ASPIRE_PROJECT_DIRECTORY` or the current
 * directory (as in the generated SDK); the manifest is
 * `$ASPIRE_MANIFEST_PATH` or `aspire-manifest.json` in the current directory.
 *
 * @param options The builder options.
 * @returns The builder.
 *
 * @example
 * ```ts
 * import { createBuilder, OtlpProtocol } from "./recording_sdk.ts";
 *
 * const builder = await createBuilder();
 * await builder.addExecutable("api", "deno", "..", ["run", "main.ts"])
 *   .withOtlpExporter({ protocol: OtlpProtocol.HttpProtobuf });
 * ```
 */
export const createBuilder: typeof Sdk.createBuilder = (
  options: Sdk.CreateBuilderOptions = {},
): Promise<Sdk.DistributedApplicationBuilder> => {
  const cwd = Deno.cwd();
  return Promise.resolve(createRecordingBuilder({
    appHostDirectory: resolve(
      cwd,
      options.projectDirectory ?? Deno.env.get("ASPIRE_PROJECT_DIRECTORY") ?? cwd,
    ),
    manifestPath: resolve(cwd, Deno.env.get("ASPIRE_MANIFEST_PATH") ?? "aspire-manifest.json"),
  }));
};
