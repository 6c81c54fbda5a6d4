/**
 * The workspace's sagas, checked and indexed by name and version: what the
 * runner, the client and the API look definitions up in.
 *
 * @module
 */
import { NetScriptError } from "@netscript/contracts/errors";
import type { SagasCoreErrorCode } from "../sagas_error_codes.ts";
import { isSagaDefinition, type SagaDefinition } from "./define_saga.ts";

/**
 * A saga definition file as the generated `.netscript/definitions/sagas.ts`
 * lists it: the file's path and its default export.
 */
export interface SagaFile {
  /** The file, relative to the workspace root, e.g. `sagas/place_order.ts`. */
  readonly file: string;
  /** What the file default-exports. */
  readonly definition: unknown;
}

/** The sagas given to the runner and the client: definitions, or definition files. */
export type SagaList = readonly SagaDefinition[] | readonly SagaFile[];

/** The workspace's sagas by name and version. */
export interface SagaCatalog {
  /** Every saga name, sorted. */
  readonly names: readonly string[];
  /** The newest version of a saga, or `undefined` for an unknown name. */
  latest(name: string): SagaDefinition | undefined;
  /** One version of a saga, or `undefined`. */
  at(name: string, version: number): SagaDefinition | undefined;
  /** Every definition, by name then version. */
  all(): readonly SagaDefinition[];
}

/**
 * Indexes sagas by name and version.
 *
 * @param list The definitions, or the files under `sagas/` with their default exports.
 * @returns The catalog.
 * @throws {NetScriptError} `SAGAS_INVALID_DEFINITION` naming a file whose
 * default export is not a saga; `SAGAS_DUPLICATE_SAGA` naming both places
 * when two definitions share a name and version.
 *
 * @example
 * ```ts
 * import { defineSaga, sagaCatalog } from "@netscript/plugin-sagas-core";
 * import { z } from "zod";
 *
 * const v1 = defineSaga({ name: "onboard", input: z.object({}), run: () => "v1" });
 * const v2 = defineSaga({ name: "onboard", version: 2, input: z.object({}), run: () => "v2" });
 * const catalog = sagaCatalog([v1, v2]);
 * console.log(catalog.latest("onboard")?.version, catalog.at("onboard", 1) === v1); // 2 true
 * ```
 */
export function sagaCatalog(list: SagaList): SagaCatalog {
  const byKey = new Map<string, { definition: SagaDefinition; place: string }>();
  const latest = new Map<string, SagaDefinition>();
  list.forEach((entry: SagaDefinition | SagaFile, index) => {
    const place = isSagaDefinition(entry)
      ? `entry ${index}`
      : typeof (entry as Partial<SagaFile>)?.file === "string"
      ? (entry as SagaFile).file
      : `entry ${index}`;
    const definition = isSagaDefinition(entry) ? entry : (entry as Partial<SagaFile>)?.definition;
    if (!isSagaDefinition(definition)) {
      throw new NetScriptError<SagasCoreErrorCode>(
        "SAGAS_INVALID_DEFINITION",
        `${place} does not hold a saga; end it with export default defineSaga({ … }) and regenerate`,
        { details: { file: place } },
      );
    }
    const key = `${definition.name}@${definition.version}`;
    const first = byKey.get(key);
    if (first !== undefined) {
      throw new NetScriptError<SagasCoreErrorCode>(
        "SAGAS_DUPLICATE_SAGA",
        `${first.place} and ${place} both define version ${definition.version} of the saga "${definition.name}"; give each its own name, or raise the newer one's version`,
        {
          details: {
            saga: definition.name,
            version: definition.version,
            files: [first.place, place],
          },
        },
      );
    }
    byKey.set(key, { definition, place });
    const newest = latest.get(definition.name);
    if (newest === undefined || newest.version < definition.version) {
      latest.set(definition.name, definition);
    }
  });
  const all = [...byKey.values()].map((v) => v.definition).sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : a.version - b.version
  );
  return {
    names: [...latest.keys()].sort(),
    latest: (name) => latest.get(name),
    at: (name, version) => byKey.get(`${name}@${version}`)?.definition,
    all: () => all,
  };
}
