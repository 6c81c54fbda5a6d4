import { NetScriptError } from "@netscript/contracts/errors";
import type { PluginErrorCode } from "./plugin_error_codes.ts";

/** A user definition file as the generated definitions module lists it. */
export interface DefinitionFile<TDefinition = unknown> {
  /** The file, relative to the workspace root, e.g. `jobs/send_welcome_email.ts`. */
  readonly file: string;
  /** What the file default-exports. */
  readonly definition: TDefinition;
}

/** The kind of definition every file of a folder must default-export. */
export interface DefinitionKind {
  /** The value of the definition's `kind` field, e.g. `job`. */
  readonly kind: string;
  /**
   * The builder that makes one, named in errors, e.g. `defineJob`, or each
   * builder that does, e.g. `["defineMail", "defineDigest"]`.
   */
  readonly builder?: string | readonly string[] | undefined;
}

/**
 * Checks that every file of a definitions folder default-exports a
 * definition of the expected kind (an object whose `kind` field matches),
 * and returns the files unchanged, with their types. The generated
 * `.netscript/definitions/<plugin>.ts` modules call it, so a process fails
 * at start, naming the file, instead of running something else.
 *
 * @param expected The kind, and the builder to name in the error.
 * @param files The files with their default exports.
 * @returns `files`, as given.
 * @throws {NetScriptError} `PLUGIN_DEFINITION_MISMATCH` naming the first file
 * whose default export is not of that kind.
 *
 * @example
 * ```ts
 * import { definitionFiles } from "@netscript/plugin";
 *
 * const greet = { kind: "job", name: "greet" } as const;
 * const jobs = definitionFiles({ kind: "job", builder: "defineJob" }, [
 *   { file: "jobs/greet.ts", definition: greet },
 * ]);
 * console.log(jobs[0].definition.name); // "greet"
 * ```
 */
export function definitionFiles<const T extends readonly DefinitionFile[]>(
  expected: DefinitionKind,
  files: T,
): T {
  for (const { file, definition } of files) {
    const kind = typeof definition === "object" && definition !== null
      ? (definition as { kind?: unknown }).kind
      : undefined;
    if (kind === expected.kind) continue;
    const builders = expected.builder === undefined ? [] : [expected.builder].flat();
    const fix = builders.length === 0
      ? `default-export a definition of kind "${expected.kind}"`
      : `end it with export default ${builders.map((builder) => `${builder}({ … })`).join(" or ")}`;
    throw new NetScriptError<PluginErrorCode>(
      "PLUGIN_DEFINITION_MISMATCH",
      `${file} does not default-export a ${expected.kind} definition${
        typeof kind === "string" ? ` (it exports a ${JSON.stringify(kind)})` : ""
      }; ${fix}`,
      { details: { file, expected: expected.kind, actual: kind ?? null } },
    );
  }
  return files;
}
