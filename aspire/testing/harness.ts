import { join } from "node:path";
import { ASPIRE_VERSION } from "../versions.ts";
import type { AspireManifest, AspireRelations } from "./manifest.ts";

/** The SDK declaration for the pinned Aspire version (`sdk/aspire-<ASPIRE_VERSION>.d.mts`). */
export const SDK_DECLARATION: URL = new URL(
  `../sdk/aspire-${ASPIRE_VERSION}.d.mts`,
  import.meta.url,
);

/**
 * Puts the recording stand-in where Aspire's CLI generates the SDK: writes
 * `<appHostDirectory>/.aspire/modules/aspire.mjs`, typed by
 * {@linkcode SDK_DECLARATION} (`@ts-self-types`) and re-exporting the
 * stand-in, so `deno check` checks the AppHost against the declaration and
 * `deno run` records it.
 *
 * @param appHostDirectory The folder of `apphost.mts`.
 * @returns The module's path.
 *
 * @example
 * ```ts ignore
 * import { installRecordingSdk } from "@netscript/aspire/testing";
 *
 * await installRecordingSdk("app/aspire");
 * // then: cd app/aspire && deno run -A --no-config apphost.mts
 * ```
 */
export async function installRecordingSdk(appHostDirectory: string): Promise<string> {
  const directory = join(appHostDirectory, ".aspire", "modules");
  const path = join(directory, "aspire.mjs");
  const standIn = new URL("./recording_sdk.ts", import.meta.url).href;
  await Deno.mkdir(directory, { recursive: true });
  await Deno.writeTextFile(
    path,
    [
      `// @ts-self-types="${SDK_DECLARATION.href}"`,
      "// NetScript's recording stand-in for Aspire's generated SDK (a test double).",
      `export * from "${standIn}";`,
      "",
    ].join("\n"),
  );
  return path;
}

/** What one run of a recorded AppHost wrote. */
export interface Recording {
  /** `aspire-manifest.json`. */
  readonly manifest: AspireManifest;
  /** `aspire-relations.json`. */
  readonly relations: AspireRelations;
}

/**
 * Reads the files a recorded AppHost run wrote into a folder.
 *
 * @param directory The folder of `aspire-manifest.json` and `aspire-relations.json`.
 * @returns Both documents.
 *
 * @example
 * ```ts ignore
 * import { readRecording } from "@netscript/aspire/testing";
 *
 * const { manifest } = await readRecording("app/aspire");
 * console.log(Object.keys(manifest.resources));
 * ```
 */
export async function readRecording(directory: string): Promise<Recording> {
  const read = async (file: string) => JSON.parse(await Deno.readTextFile(join(directory, file)));
  return {
    manifest: await read("aspire-manifest.json"),
    relations: await read("aspire-relations.json"),
  };
}
