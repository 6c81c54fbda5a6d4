/**
 * What every way of starting a saga checks and writes: the input against
 * the definition's schema, the id, the input as JSON, the caller's trace;
 * and, when the id was taken, that it was taken by the same saga.
 *
 * @module
 */
import { formatIssues } from "@netscript/contracts/errors";
import { injectTraceContext } from "@netscript/telemetry";
import type { z } from "zod";
import type { StartableSaga } from "../dsl/saga_context.ts";
import type { SagaDefinition } from "../dsl/define_saga.ts";
import type { SagaCatalog } from "../dsl/saga_list.ts";
import { checkSagaId, quoted } from "../ports/saga_ids.ts";
import type { NewSaga, StartedSaga } from "../ports/saga_store.ts";
import { encodeSagaValue } from "../ports/saga_values.ts";
import { sagaError } from "./saga_errors.ts";

/**
 * The saga to write for a start.
 *
 * @param definition The saga's definition.
 * @param input Its input, as given.
 * @param id Its id, or `undefined` for a new UUID.
 * @returns The saga to write.
 * @throws {NetScriptError} `SAGAS_INVALID_INPUT` (with `details.issues`),
 * `SAGAS_INVALID_ID`, `SAGAS_NOT_JSON`, `SAGAS_VALUE_TOO_LARGE`.
 */
export function newSagaFor(
  definition: StartableSaga,
  input: unknown,
  id: string | undefined,
): NewSaga {
  const parsed = definition.input.safeParse(input);
  if (!parsed.success) {
    const issues = formatIssues(parsed.error.issues, { root: "(input)" });
    throw sagaError(
      "SAGAS_INVALID_INPUT",
      `The input of saga "${definition.name}" does not match its schema: ${
        issues.map((issue) => `${issue.path} ${issue.message}`).join("; ")
      }`,
      { saga: definition.name, issues },
    );
  }
  const sagaId = id ?? crypto.randomUUID();
  checkSagaId(sagaId);
  const text = encodeSagaValue(input ?? null, `the input of saga "${definition.name}"`) ?? "null";
  const traceparent = injectTraceContext(new Headers()).get("traceparent");
  return {
    id: sagaId,
    name: definition.name,
    version: definition.version,
    input: text,
    ...(traceparent === null ? {} : { traceparent }),
  };
}

/**
 * The definition a start names: the one given, or the newest version of
 * the name.
 *
 * @param catalog The workspace's sagas.
 * @param saga A definition, or a saga's name.
 * @returns The definition.
 * @throws {NetScriptError} `SAGAS_UNKNOWN_SAGA` listing the names there are.
 */
export function definitionFor<TInput extends z.ZodType>(
  catalog: SagaCatalog,
  saga: SagaDefinition<TInput, unknown, string> | string,
): SagaDefinition<TInput, unknown, string> {
  const definition = typeof saga === "string" ? catalog.latest(saga) : saga;
  if (definition !== undefined) return definition as SagaDefinition<TInput, unknown, string>;
  throw sagaError(
    "SAGAS_UNKNOWN_SAGA",
    `No saga is named ${quoted(saga)}; use one of ${
      catalog.names.map((name) => `"${name}"`).join(", ") || "(none: add one under sagas/)"
    }`,
    { saga: String(saga).slice(0, 128), known: catalog.names },
  );
}

/**
 * Checks that a start whose id was taken found the same saga.
 *
 * @param started What the store's start returned.
 * @param name The saga's name the caller started.
 * @throws {NetScriptError} `SAGAS_ID_CONFLICT` when the id belongs to a saga of another name.
 */
export function checkSameSaga(started: StartedSaga, name: string): void {
  if (started.created || started.saga.name === name) return;
  throw sagaError(
    "SAGAS_ID_CONFLICT",
    `The saga id "${started.saga.id}" is taken by a saga of "${started.saga.name}", not "${name}"; reuse an id only for the same saga`,
    { id: started.saga.id, saga: name, existing: started.saga.name },
  );
}
