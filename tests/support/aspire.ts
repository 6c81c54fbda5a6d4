/**
 * Support for end-to-end tests of the generated Aspire AppHost with the
 * recording stand-in: `deno check` and `deno run` of `apphost.mts`, the
 * manifest's JSON-schema validation, and its cross-references.
 *
 * @module
 */
import { Ajv } from "ajv";
import type { AspireManifest } from "../../aspire/testing/mod.ts";

/** Aspire's manifest schema (`src/Schema/aspire-8.0.json`, draft-07), vendored. */
const SCHEMA = new URL("../fixtures/aspire/aspire-8.0.schema.json", import.meta.url);

/** What a `deno` subprocess printed and whether it succeeded. */
export interface DenoRun {
  /** Exit code 0. */
  success: boolean;
  /** stdout and stderr, without colours. */
  output: string;
}

async function deno(
  args: string[],
  cwd: string,
  env?: Record<string, string>,
): Promise<DenoRun> {
  const result = await new Deno.Command(Deno.execPath(), {
    args,
    cwd,
    ...(env === undefined ? { env: { NO_COLOR: "1" } } : {
      clearEnv: true,
      env: { ..._inherited(), NO_COLOR: "1", ...env },
    }),
  }).output();
  const decoder = new TextDecoder();
  return {
    success: result.success,
    output: decoder.decode(result.stdout) + decoder.decode(result.stderr),
  };
}

/** What a Deno child needs of this process's environment to find its cache. */
function _inherited(): Record<string, string> {
  return Object.fromEntries(
    ["HOME", "DENO_DIR", "XDG_CACHE_HOME", "PATH"].flatMap((name) => {
      const value = Deno.env.get(name);
      return value === undefined ? [] : [[name, value]];
    }),
  );
}

/**
 * Type-checks AppHost files as Aspire's `tsc --noEmit` would (strict), with
 * no workspace configuration: the SDK's types come from `.aspire/modules/aspire.mjs`.
 *
 * @param appHostDirectory The AppHost's folder.
 * @param files The files, relative to it.
 * @returns The outcome.
 */
export function checkAppHost(appHostDirectory: string, files: readonly string[]): Promise<DenoRun> {
  return deno(["check", "--no-config", "--quiet", ...files], appHostDirectory);
}

/**
 * Runs `apphost.mts` in its folder, which writes `aspire-manifest.json` and
 * `aspire-relations.json` there (and the data folder for embedded stores),
 * in an environment holding only what Deno needs and `env` (so the test
 * runner's own variables, such as a `NETSCRIPT_SERVICE_SECRET`, do not leak in).
 *
 * @param appHostDirectory The AppHost's folder.
 * @param env The AppHost's variables, e.g. its `NETSCRIPT_SERVICE_SECRET`.
 * @returns The outcome.
 */
export function runAppHost(
  appHostDirectory: string,
  env: Record<string, string> = {},
): Promise<DenoRun> {
  return deno(
    [
      "run",
      "--no-config",
      "--quiet",
      "--allow-read",
      "--allow-write",
      "--allow-env=ASPIRE_MANIFEST_PATH,ASPIRE_PROJECT_DIRECTORY,NETSCRIPT_SERVICE_SECRET",
      "apphost.mts",
    ],
    appHostDirectory,
    env,
  );
}

/**
 * Validates a manifest against Aspire's JSON schema.
 *
 * @param manifest The parsed manifest.
 * @returns The schema errors, formatted; empty when it is valid.
 */
export async function manifestSchemaErrors(manifest: unknown): Promise<string[]> {
  const validate = new Ajv({ allErrors: true }).compile(
    JSON.parse(await Deno.readTextFile(SCHEMA)),
  );
  if (validate(manifest)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? e.keyword}`);
}

/**
 * The expressions of a manifest that point nowhere: `{name.…}` naming no
 * resource, and `{name.bindings.<endpoint>.…}` naming no binding of it.
 *
 * @param manifest The manifest.
 * @returns The dangling expressions with where they occur.
 */
export function danglingExpressions(manifest: AspireManifest): string[] {
  const dangling: string[] = [];
  for (const [name, resource] of Object.entries(manifest.resources)) {
    for (
      const match of JSON.stringify(resource).matchAll(
        /\{([A-Za-z][A-Za-z0-9-]*)\.([A-Za-z0-9.]+)\}/g,
      )
    ) {
      const [expression, target, path] = match as unknown as [string, string, string];
      const referenced = manifest.resources[target];
      const endpoint = path.match(/^bindings\.([^.]+)\./)?.[1];
      const bindings = referenced && "bindings" in referenced ? referenced.bindings : undefined;
      if (referenced === undefined || (endpoint !== undefined && !bindings?.[endpoint])) {
        dangling.push(`${expression} in ${name}`);
      }
    }
  }
  return dangling;
}
