import { fallbackORPCErrorStatus } from "@orpc/client";
import {
  type AnyContractRouter,
  type AnySchema,
  type ErrorMapItem,
  fallbackContractConfig,
  isContractProcedure,
} from "@orpc/contract";
import { contractSchemaConverter } from "@netscript/contracts/json-schema";

/** A JSON Schema, as plain JSON. */
export type JsonSchema = boolean | { readonly [keyword: string]: unknown };

/** A schema of a snapshot, with whether the value may be absent altogether. */
export interface SchemaSnapshot {
  /** Whether the value may be `undefined` (no input given, no error data). */
  readonly optional: boolean;
  /** The JSON Schema of the value. */
  readonly schema: JsonSchema;
}

/** A procedure's REST route. */
export interface RouteSnapshot {
  /** The HTTP method, `POST` when the contract gives none. */
  readonly method: string;
  /** The path below the REST prefix, `/<procedure path>` when the contract gives none. */
  readonly path: string;
  /** The success status, 200 when the contract gives none. */
  readonly successStatus: number;
}

/** A declared error of a procedure. */
export interface ErrorSnapshot {
  /** Its HTTP status. */
  readonly status: number;
  /** Its `data`. */
  readonly data: SchemaSnapshot;
}

/** What a caller sees of one procedure. */
export interface ProcedureSnapshot {
  /** The REST route. */
  readonly route: RouteSnapshot;
  /** What callers send. */
  readonly input: SchemaSnapshot;
  /** What callers receive on success. */
  readonly output: SchemaSnapshot;
  /** The declared errors, by code. */
  readonly errors: { readonly [code: string]: ErrorSnapshot };
}

/** A contract reduced to plain JSON: its procedures by dotted path (`notes.get`). */
export interface ContractSnapshot {
  /** Every procedure, by path. */
  readonly procedures: { readonly [path: string]: ProcedureSnapshot };
}

const ANYTHING: SchemaSnapshot = { optional: true, schema: {} };

/**
 * Reduces an oRPC contract router to a {@linkcode ContractSnapshot}: each
 * procedure's route, and its input, output and error data as JSON Schema,
 * converted from zod as the service's OpenAPI document converts them. The
 * snapshot is plain JSON, so it can cross a process boundary or sit in a file.
 *
 * @param contract The contract router (an object of procedures, nested or not).
 * @returns The snapshot.
 * @throws {TypeError} When a schema is not a zod schema.
 *
 * @example
 * ```ts
 * import { baseContract } from "@netscript/contracts";
 * import { snapshotContract } from "@netscript/contract-check";
 * import { z } from "zod";
 *
 * const snapshot = snapshotContract({
 *   get: baseContract.route({ method: "GET", path: "/notes/{id}" }).input(z.object({ id: z.string() })),
 * });
 * console.log(snapshot.procedures.get?.route.method); // "GET"
 * ```
 */
export function snapshotContract(contract: AnyContractRouter): ContractSnapshot {
  const procedures: Record<string, ProcedureSnapshot> = {};
  _collect(contract, [], procedures);
  return { procedures };
}

function _collect(
  router: AnyContractRouter,
  path: readonly string[],
  procedures: Record<string, ProcedureSnapshot>,
): void {
  if (isContractProcedure(router)) {
    const name = path.join(".");
    const { route, inputSchema, outputSchema, errorMap } = router["~orpc"];
    const errors: Record<string, ErrorSnapshot> = {};
    for (const [code, error] of Object.entries(errorMap) as [string, ErrorMapItem<AnySchema>][]) {
      errors[code] = {
        status: fallbackORPCErrorStatus(code, error.status),
        data: _convert(error.data, "output", `${name} errors.${code}.data`),
      };
    }
    procedures[name] = {
      route: {
        method: fallbackContractConfig("defaultMethod", route.method),
        path: route.path ?? `/${path.map(encodeURIComponent).join("/")}`,
        successStatus: fallbackContractConfig("defaultSuccessStatus", route.successStatus),
      },
      input: _convert(inputSchema, "input", `${name} input`),
      output: _convert(outputSchema, "output", `${name} output`),
      errors,
    };
    return;
  }
  for (const [key, child] of Object.entries(router)) {
    _collect(child as AnyContractRouter, [...path, key], procedures);
  }
}

function _convert(
  schema: AnySchema | undefined,
  strategy: "input" | "output",
  where: string,
): SchemaSnapshot {
  if (schema === undefined) return ANYTHING;
  if (!contractSchemaConverter.condition(schema)) {
    throw new TypeError(
      `The schema of ${where} is not a zod schema; contract check reads zod 4 schemas`,
    );
  }
  const [required, json] = contractSchemaConverter.convert(schema, { strategy });
  return { optional: !required, schema: JSON.parse(JSON.stringify(json)) };
}
