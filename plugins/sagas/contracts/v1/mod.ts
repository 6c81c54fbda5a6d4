/**
 * Version 1 of the `sagas-api` contract: start sagas (the id is an
 * idempotency key), read one with its steps and compensations, list and
 * count them, cancel, signal and retry them, and list the workspace's
 * saga definitions. Every failure a caller can cause is a typed error of
 * the contract with its own code (`SAGAS_NOT_FOUND`, `SAGAS_INVALID_INPUT`,
 * …). The typed client, the REST routes, the OpenAPI document and the
 * traces all derive from it.
 *
 * @example Start a saga with the typed client
 * ```ts ignore
 * import { createORPCClient } from "@orpc/client";
 * import { RPCLink } from "@orpc/client/fetch";
 * import type { ContractRouterClient } from "@orpc/contract";
 * import type { SagasContract } from "@netscript/plugin-sagas/contract";
 *
 * const sagas: ContractRouterClient<SagasContract> = createORPCClient(
 *   new RPCLink({ url: "http://localhost:8092/rpc" }),
 * );
 * const started = await sagas.sagas.start({ name: "place-order", input: { orderId: "o-1" }, id: "order-o-1" });
 * console.log(started.state);
 * ```
 *
 * @module
 */
import type { ContractProcedure } from "@orpc/contract";
import {
  baseContract,
  type CommonErrorMap,
  OffsetPaginationQuerySchema,
  type PaginatedSchema,
  paginatedSchema,
  type QueryIntegerSchema,
} from "@netscript/contracts";
import {
  SAGA_ENTRY_KINDS,
  SAGA_ENTRY_STATES,
  SAGA_NAME_PATTERN,
  SAGA_STATES,
  SIGNAL_NAME_PATTERN,
} from "@netscript/plugin-sagas-core";
import { z } from "zod";
import { SAGAS_ERRORS, type SagasErrorMap } from "./errors.ts";

export {
  type IssueListSchema,
  SAGAS_ERRORS,
  type SagasErrorEntry,
  type SagasErrorMap,
} from "./errors.ts";

/** The saga states, as a zod enum's value map. */
export type SagaStates = {
  running: "running";
  waiting: "waiting";
  completed: "completed";
  compensating: "compensating";
  compensated: "compensated";
  failed: "failed";
  cancelled: "cancelled";
};

/** A saga's state. */
export const SagaStateSchema: z.ZodEnum<SagaStates> = z.enum(SAGA_STATES);

/** What a journal entry records, as a zod enum's value map. */
export type SagaEntryKinds = {
  step: "step";
  sleep: "sleep";
  signal: "signal";
  value: "value";
  job: "job";
  child: "child";
  compensation: "compensation";
};

/** The journal entry states, as a zod enum's value map. */
export type SagaEntryStates = {
  completed: "completed";
  failed: "failed";
  retrying: "retrying";
  waiting: "waiting";
};

/** Where a journal entry is. */
export const SagaEntryStateSchema: z.ZodEnum<SagaEntryStates> = z.enum(SAGA_ENTRY_STATES);

/** What a forward journal entry records: every kind but `compensation`. */
export const SagaStepKindSchema: z.ZodEnum<Omit<SagaEntryKinds, "compensation">> = z.enum(
  SAGA_ENTRY_KINDS.filter((kind) => kind !== "compensation") as [
    Exclude<keyof SagaEntryKinds, "compensation">,
    ...Exclude<keyof SagaEntryKinds, "compensation">[],
  ],
);

/** A saga as `sagas-api` lists it. */
export const SagaSchema: z.ZodObject<{
  id: z.ZodString;
  name: z.ZodString;
  version: z.ZodNumber;
  state: typeof SagaStateSchema;
  input: z.ZodUnknown;
  output: z.ZodUnknown;
  error: z.ZodNullable<z.ZodString>;
  cancelRequested: z.ZodBoolean;
  parentId: z.ZodNullable<z.ZodString>;
  runAt: z.ZodNullable<z.ZodISODateTime>;
  createdAt: z.ZodISODateTime;
  updatedAt: z.ZodISODateTime;
  finishedAt: z.ZodNullable<z.ZodISODateTime>;
}> = z.object({
  id: z.string().describe("The saga's id: the idempotency key it was started with, or a made one"),
  name: z.string().describe("The saga definition's name"),
  version: z.number().int().min(1).describe("The definition's version it runs on"),
  state: SagaStateSchema,
  input: z.unknown().describe("Its input"),
  output: z.unknown().describe("What its run returned, once completed; null before"),
  error: z.string().nullable().describe("Why it failed, was compensated or was cancelled"),
  cancelRequested: z.boolean().describe("true once a cancel was asked for"),
  parentId: z.string().nullable().describe("The saga that started it as a child"),
  runAt: z.iso.datetime().nullable().describe(
    "Runnable from this time; null while it waits for a signal with no timeout, or has finished",
  ),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime().nullable(),
});

/** A forward entry of a saga's journal: a step, a sleep, a signal wait, a recorded value, a job or child started. */
export const SagaStepSchema: z.ZodObject<{
  seq: z.ZodNumber;
  kind: typeof SagaStepKindSchema;
  name: z.ZodString;
  state: typeof SagaEntryStateSchema;
  attempts: z.ZodNumber;
  result: z.ZodUnknown;
  error: z.ZodNullable<z.ZodString>;
  wakeAt: z.ZodNullable<z.ZodISODateTime>;
  startedAt: z.ZodISODateTime;
  updatedAt: z.ZodISODateTime;
}> = z.object({
  seq: z.number().int().min(0).describe("Its position in the journal, from 0"),
  kind: SagaStepKindSchema,
  name: z.string().describe("The name the saga gave it (now, uuid or random for a value)"),
  state: SagaEntryStateSchema,
  attempts: z.number().int().min(0).describe("Attempts begun"),
  result: z.unknown().describe("Its recorded result; null for none"),
  error: z.string().nullable().describe("Why its last attempt failed"),
  wakeAt: z.iso.datetime().nullable().describe(
    "When a sleep ends, a signal wait times out, or a retry runs",
  ),
  startedAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

/** A compensation of a finished step, run last registered first after a failure or a cancel. */
export const SagaCompensationSchema: z.ZodObject<{
  seq: z.ZodNumber;
  name: z.ZodString;
  compensates: z.ZodNullable<z.ZodNumber>;
  state: typeof SagaEntryStateSchema;
  attempts: z.ZodNumber;
  error: z.ZodNullable<z.ZodString>;
  wakeAt: z.ZodNullable<z.ZodISODateTime>;
  startedAt: z.ZodISODateTime;
  updatedAt: z.ZodISODateTime;
}> = z.object({
  seq: z.number().int().min(0).describe("Its position in the journal"),
  name: z.string().describe("The name of the step it compensates"),
  compensates: z.number().int().min(0).nullable().describe("The seq of the step it compensates"),
  state: SagaEntryStateSchema,
  attempts: z.number().int().min(0).describe("Attempts begun"),
  error: z.string().nullable().describe("Why its last attempt failed"),
  wakeAt: z.iso.datetime().nullable().describe("When its next attempt runs"),
  startedAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

/** A saga with its journal, as `GET /api/sagas/{id}` returns it. */
export const SagaDetailSchema: z.ZodObject<
  (typeof SagaSchema)["shape"] & {
    steps: z.ZodArray<typeof SagaStepSchema>;
    compensations: z.ZodArray<typeof SagaCompensationSchema>;
  }
> = SagaSchema.extend({
  steps: z.array(SagaStepSchema).describe("The forward journal, by seq"),
  compensations: z.array(SagaCompensationSchema).describe("The compensations run, by seq"),
});

/** The body of `POST /api/sagas`. */
export const StartSagaSchema: z.ZodObject<{
  name: z.ZodString;
  input: z.ZodUnknown;
  id: z.ZodOptional<z.ZodString>;
}> = z.object({
  name: z.string().min(1).max(128).describe("The saga definition's name; its newest version runs"),
  input: z.unknown().describe("The saga's input, checked against its schema"),
  id: z.string().optional().describe(
    "An idempotency key of 1–200 letters, digits and . _ : -: starting it again returns the first saga; made up when left out",
  ),
});

/** The answer to `POST /api/sagas`. */
export const StartedSagaSchema: z.ZodObject<{
  id: z.ZodString;
  state: typeof SagaStateSchema;
  created: z.ZodBoolean;
}> = z.object({
  id: z.string().describe("The saga's id: GET /api/sagas/{id}"),
  state: SagaStateSchema,
  created: z.boolean().describe("false when a saga with this id had been started already"),
});

/** The query of `GET /api/sagas`. */
export const ListSagasSchema: z.ZodObject<{
  limit: QueryIntegerSchema;
  offset: QueryIntegerSchema;
  state: z.ZodOptional<typeof SagaStateSchema>;
  name: z.ZodOptional<z.ZodString>;
}> = OffsetPaginationQuerySchema.extend({
  state: SagaStateSchema.optional(),
  name: z.string().regex(SAGA_NAME_PATTERN, { message: "must be a saga name" }).optional(),
});

/** A saga id in the path. */
export const SagaIdSchema: z.ZodObject<{ id: z.ZodString }> = z.object({
  id: z.string().describe("The saga's id"),
});

/** The path and body of `POST /api/sagas/{id}/signals/{name}`. */
export const SendSignalSchema: z.ZodObject<{
  id: z.ZodString;
  name: z.ZodString;
  payload: z.ZodOptional<z.ZodUnknown>;
}> = z.object({
  id: z.string().describe("The saga's id"),
  name: z.string().regex(SIGNAL_NAME_PATTERN, {
    message: 'must be 1–128 letters, digits, ".", "_", ":" or "-"',
  }).describe("The signal's name, as the saga's ctx.waitForSignal gives it"),
  payload: z.unknown().optional().describe(
    "The payload ctx.waitForSignal returns, checked by its schema there",
  ),
});

/** A signal kept for a saga. */
export const SignalSchema: z.ZodObject<{
  id: z.ZodString;
  name: z.ZodString;
  receivedAt: z.ZodISODateTime;
}> = z.object({
  id: z.string().describe("The signal's id"),
  name: z.string(),
  receivedAt: z.iso.datetime(),
});

/** Saga counts by state. */
export const SagaStatsSchema: z.ZodObject<{ [K in keyof SagaStates]: z.ZodNumber }> = z.object({
  running: z.number().int(),
  waiting: z.number().int(),
  completed: z.number().int(),
  compensating: z.number().int(),
  compensated: z.number().int(),
  failed: z.number().int(),
  cancelled: z.number().int(),
});

/** The answer to `GET /api/definitions`: every saga definition by name, then version. */
export const DefinitionListSchema: z.ZodObject<{
  items: z.ZodArray<
    z.ZodObject<{ name: z.ZodString; version: z.ZodNumber; latest: z.ZodBoolean }>
  >;
}> = z.object({
  items: z.array(z.object({
    name: z.string(),
    version: z.number().int().min(1),
    latest: z.boolean().describe("true for the version a start by name runs"),
  })),
});

/**
 * A procedure of this contract: the common errors and the saga errors it may answer.
 *
 * @template TInput The input schema.
 * @template TOutput The output schema.
 * @template TCodes The saga error codes it may answer.
 */
export type SagasProcedure<
  TInput extends z.ZodType,
  TOutput extends z.ZodType,
  TCodes extends keyof SagasErrorMap = never,
> = ContractProcedure<
  TInput,
  TOutput,
  CommonErrorMap & Pick<SagasErrorMap, TCodes>,
  Record<never, never>
>;

/** The saga errors of `POST /api/sagas`. */
export type StartErrorCode =
  | "SAGAS_UNKNOWN_SAGA"
  | "SAGAS_INVALID_INPUT"
  | "SAGAS_INVALID_ID"
  | "SAGAS_ID_CONFLICT"
  | "SAGAS_NOT_JSON"
  | "SAGAS_VALUE_TOO_LARGE";

/** The saga errors of a procedure on one saga by id. */
export type ByIdErrorCode = "SAGAS_INVALID_ID" | "SAGAS_NOT_FOUND";

/** The saga errors of `POST /api/sagas/{id}/signals/{name}`. */
export type SignalErrorCode =
  | ByIdErrorCode
  | "SAGAS_FINISHED"
  | "SAGAS_NOT_JSON"
  | "SAGAS_VALUE_TOO_LARGE";

/** The shape of {@linkcode sagasContract}. */
export type SagasContract = {
  /** Sagas. */
  readonly sagas: {
    /** `POST /api/sagas`: start a saga, or find the one started with the id. */
    readonly start: SagasProcedure<
      typeof StartSagaSchema,
      typeof StartedSagaSchema,
      StartErrorCode
    >;
    /** `GET /api/sagas/{id}`: a saga with its steps and compensations. */
    readonly get: SagasProcedure<typeof SagaIdSchema, typeof SagaDetailSchema, ByIdErrorCode>;
    /** `GET /api/sagas?state=&name=&limit=&offset=`, newest first. */
    readonly list: SagasProcedure<typeof ListSagasSchema, PaginatedSchema<typeof SagaSchema>>;
    /** `POST /api/sagas/{id}/cancel`: compensate what finished, then end `cancelled`. */
    readonly cancel: SagasProcedure<typeof SagaIdSchema, typeof SagaSchema, ByIdErrorCode>;
    /** `POST /api/sagas/{id}/signals/{name}`: keep a signal for the saga's next wait of that name. */
    readonly signal: SagasProcedure<typeof SendSignalSchema, typeof SignalSchema, SignalErrorCode>;
    /** `POST /api/sagas/{id}/retry`: run a failed saga again from where it stopped. */
    readonly retry: SagasProcedure<
      typeof SagaIdSchema,
      typeof SagaSchema,
      ByIdErrorCode | "SAGAS_NOT_RETRYABLE"
    >;
  };
  /** `GET /api/stats`: sagas by state. */
  readonly stats: SagasProcedure<z.ZodObject<Record<never, never>>, typeof SagaStatsSchema>;
  /** `GET /api/definitions`: the workspace's saga definitions. */
  readonly definitions: SagasProcedure<
    z.ZodObject<Record<never, never>>,
    typeof DefinitionListSchema
  >;
};

/** The saga errors with these codes, for one procedure's error map. */
function _errors<TCode extends keyof SagasErrorMap>(
  ...codes: TCode[]
): Pick<SagasErrorMap, TCode> {
  return Object.fromEntries(codes.map((code) => [code, SAGAS_ERRORS[code]])) as Pick<
    SagasErrorMap,
    TCode
  >;
}

const tags = ["sagas"];
const byId = _errors("SAGAS_INVALID_ID", "SAGAS_NOT_FOUND");

/** The `sagas-api` contract, version 1. */
export const sagasContract: SagasContract = {
  sagas: {
    start: baseContract
      .errors(
        _errors(
          "SAGAS_UNKNOWN_SAGA",
          "SAGAS_INVALID_INPUT",
          "SAGAS_INVALID_ID",
          "SAGAS_ID_CONFLICT",
          "SAGAS_NOT_JSON",
          "SAGAS_VALUE_TOO_LARGE",
        ),
      )
      .route({
        method: "POST",
        path: "/sagas",
        summary: "Start a saga",
        description:
          "Checks the input against the saga's schema and starts its newest version. The id is an idempotency key: the same id again answers the saga it started (created false) and starts nothing; an id taken by another saga's run is a 409 SAGAS_ID_CONFLICT. An unknown name is a 404 SAGAS_UNKNOWN_SAGA; an input the schema refuses a 400 SAGAS_INVALID_INPUT with every issue.",
        tags,
      })
      .input(StartSagaSchema)
      .output(StartedSagaSchema),
    get: baseContract
      .errors(byId)
      .route({ method: "GET", path: "/sagas/{id}", summary: "Get a saga with its journal", tags })
      .input(SagaIdSchema)
      .output(SagaDetailSchema),
    list: baseContract
      .route({ method: "GET", path: "/sagas", summary: "List sagas, newest first", tags })
      .input(ListSagasSchema)
      .output(paginatedSchema(SagaSchema)),
    cancel: baseContract
      .errors(byId)
      .route({
        method: "POST",
        path: "/sagas/{id}/cancel",
        summary: "Cancel a saga",
        description:
          "Asks the saga to cancel: it compensates the steps that finished, last first, then ends cancelled. A saga that has finished is answered as it is.",
        tags,
      })
      .input(SagaIdSchema)
      .output(SagaSchema),
    signal: baseContract
      .errors(
        _errors(
          "SAGAS_INVALID_ID",
          "SAGAS_NOT_FOUND",
          "SAGAS_FINISHED",
          "SAGAS_NOT_JSON",
          "SAGAS_VALUE_TOO_LARGE",
        ),
      )
      .route({
        method: "POST",
        path: "/sagas/{id}/signals/{name}",
        summary: "Send a saga a signal",
        description:
          "Keeps the signal for the saga's next ctx.waitForSignal of this name (also one it has not reached yet) and wakes a waiting saga. A saga that has finished takes no signal: 409 SAGAS_FINISHED.",
        successStatus: 202,
        tags,
      })
      .input(SendSignalSchema)
      .output(SignalSchema),
    retry: baseContract
      .errors(_errors("SAGAS_INVALID_ID", "SAGAS_NOT_FOUND", "SAGAS_NOT_RETRYABLE"))
      .route({
        method: "POST",
        path: "/sagas/{id}/retry",
        summary: "Retry a failed saga",
        description:
          "Replays a failed saga and carries on where it stopped (a compensation that kept failing runs again). Any other state is a 409 SAGAS_NOT_RETRYABLE.",
        tags,
      })
      .input(SagaIdSchema)
      .output(SagaSchema),
  },
  stats: baseContract
    .route({ method: "GET", path: "/stats", summary: "Count sagas by state", tags })
    .input(z.object({}))
    .output(SagaStatsSchema),
  definitions: baseContract
    .route({
      method: "GET",
      path: "/definitions",
      summary: "List the workspace's saga definitions",
      tags,
    })
    .input(z.object({}))
    .output(DefinitionListSchema),
};
