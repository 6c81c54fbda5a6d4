/**
 * Testing support for NetScript's Aspire AppHost: a recording stand-in for
 * Aspire's generated TypeScript SDK (a test double; nothing is started) and
 * the helpers to put it under a workspace's `aspire/` folder and read what
 * it recorded.
 *
 * `installRecordingSdk(dir)` writes `dir/.aspire/modules/aspire.mjs`, typed
 * by the hand-written declaration of Aspire's SDK (`sdk/aspire-<version>.d.mts`),
 * so `deno check apphost.mts` checks the AppHost against Aspire's API; running
 * `apphost.mts` then writes `aspire-manifest.json` (shaped like Aspire's
 * publish manifest) and `aspire-relations.json` (OTLP, health, waits, parents).
 *
 * @example
 * ```ts ignore
 * import { installRecordingSdk, readRecording } from "@netscript/aspire/testing";
 *
 * await installRecordingSdk("app/aspire");
 * await new Deno.Command(Deno.execPath(), {
 *   args: ["run", "--allow-read", "--allow-write", "--allow-env", "--no-config", "apphost.mts"],
 *   cwd: "app/aspire",
 * }).output();
 * const { manifest, relations } = await readRecording("app/aspire");
 * console.log(manifest.resources["api"]?.type, relations["api"]?.otlp);
 * ```
 *
 * @module
 */

export { createRecordingBuilder, type RecordingTarget } from "./builder.ts";
export type { GeneratedPassword } from "./integrations.ts";
export { installRecordingSdk, readRecording, type Recording, SDK_DECLARATION } from "./harness.ts";
export type {
  AnnotatedStringManifestResource,
  AspireManifest,
  AspireRelations,
  ContainerManifestResource,
  ExecutableManifestResource,
  ManifestBinding,
  ManifestResource,
  ParameterManifestResource,
  ResourceRelations,
  ValueManifestResource,
} from "./manifest.ts";
export { createBuilder, OtlpProtocol, WaitBehavior } from "./recording_sdk.ts";
