/**
 * Version 1 of the `triggers-api` management contract: list the
 * workspace's triggers, inspect and replay deliveries, fire a trigger by
 * hand, and count deliveries by state. Webhooks themselves are received at
 * `POST /hooks/{name}`, outside the contract, because their signatures
 * cover the raw bytes. The typed client, the REST routes, the OpenAPI
 * document and the traces all derive from this contract.
 *
 * @module
 */
import type { ContractProcedure, MergedErrorMap } from "@orpc/contract";
import {
  baseContract,
  type CommonErrorMap,
  OffsetPaginationQuerySchema,
  type PaginatedSchema,
  paginatedSchema,
  type QueryIntegerSchema,
} from "@netscript/contracts";
import { DELIVERY_SOURCES, DELIVERY_STATES } from "@netscript/plugin-triggers-core";
import { z } from "zod";

/** The delivery states, as a zod enum's value map. */
export type DeliveryStates = {
  pending: "pending";
  dispatched: "dispatched";
  skipped: "skipped";
  rejected: "rejected";
  failed: "failed";
};

/** A delivery's state. */
export const DeliveryStateSchema: z.ZodEnum<DeliveryStates> = z.enum(DELIVERY_STATES);

/** The delivery sources, as a zod enum's value map. */
export type DeliverySources = {
  webhook: "webhook";
  cron: "cron";
  event: "event";
  manual: "manual";
  replay: "replay";
};

/** Where a delivery came from. */
export const DeliverySourceSchema: z.ZodEnum<DeliverySources> = z.enum(DELIVERY_SOURCES);

/** What a dispatched delivery started. */
export const DispatchedTargetSchema: z.ZodObject<{
  kind: z.ZodEnum<{ job: "job"; saga: "saga" }>;
  name: z.ZodString;
  id: z.ZodString;
}> = z.object({
  kind: z.enum(["job", "saga"]).describe("What it started: a workers job or a saga"),
  name: z.string().describe("The job's or the saga's name"),
  id: z.string().describe(
    "The job's id (GET /api/jobs/{id} on workers-api) or the saga's id, trigger-delivery-<delivery id> (GET /api/sagas/{id} on sagas-api)",
  ),
});

/** A delivery as `triggers-api` returns it. */
export const DeliverySchema: z.ZodObject<{
  id: z.ZodString;
  trigger: z.ZodString;
  source: typeof DeliverySourceSchema;
  key: z.ZodNullable<z.ZodString>;
  payload: z.ZodUnknown;
  headers: z.ZodRecord<z.ZodString, z.ZodString>;
  state: typeof DeliveryStateSchema;
  attempts: z.ZodNumber;
  error: z.ZodNullable<z.ZodString>;
  target: z.ZodNullable<typeof DispatchedTargetSchema>;
  replayOf: z.ZodNullable<z.ZodString>;
  runAt: z.ZodISODateTime;
  receivedAt: z.ZodISODateTime;
  updatedAt: z.ZodISODateTime;
  settledAt: z.ZodNullable<z.ZodISODateTime>;
}> = z.object({
  id: z.string().describe("The delivery's id"),
  trigger: z.string().describe("The trigger's name"),
  source: DeliverySourceSchema,
  key: z.string().nullable().describe(
    "The deduplication key: the sender's delivery id, the cron tick, a stream message's <batch offset>#<index>; null for manual fires and replays",
  ),
  payload: z.unknown().describe("The payload the trigger's dispatch receives"),
  headers: z.record(z.string(), z.string()).describe(
    "The webhook's headers, without credentials and signatures",
  ),
  state: DeliveryStateSchema,
  attempts: z.number().int().min(0).describe("Dispatch attempts begun"),
  error: z.string().nullable().describe("Why it was rejected, or why its last dispatch failed"),
  target: DispatchedTargetSchema.nullable().describe("What it started, once dispatched"),
  replayOf: z.string().nullable().describe("The delivery this one replays"),
  runAt: z.iso.datetime().describe("Not dispatched before this time"),
  receivedAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  settledAt: z.iso.datetime().nullable(),
});

/** A trigger as `GET /api/triggers` lists it. */
export const TriggerSchema: z.ZodObject<{
  name: z.ZodString;
  type: z.ZodEnum<{ webhook: "webhook"; cron: "cron"; event: "event" }>;
  path: z.ZodNullable<z.ZodString>;
  verify: z.ZodNullable<z.ZodString>;
  cron: z.ZodNullable<z.ZodString>;
  timezone: z.ZodNullable<z.ZodString>;
  nextTick: z.ZodNullable<z.ZodISODateTime>;
  topic: z.ZodNullable<z.ZodString>;
  job: z.ZodNullable<z.ZodString>;
  saga: z.ZodNullable<z.ZodString>;
  state: z.ZodNullable<z.ZodString>;
}> = z.object({
  name: z.string(),
  type: z.enum(["webhook", "cron", "event"]),
  path: z.string().nullable().describe("Where a webhook is received, e.g. /hooks/github-push"),
  verify: z.string().nullable().describe("A webhook's verification scheme"),
  cron: z.string().nullable().describe("A cron trigger's pattern"),
  timezone: z.string().nullable().describe("A cron trigger's time zone"),
  nextTick: z.iso.datetime().nullable().describe("A cron trigger's next tick"),
  topic: z.string().nullable().describe("The stream topic an event trigger follows"),
  job: z.string().nullable().describe("The job whose change of state an event trigger follows"),
  saga: z.string().nullable().describe("The saga whose change of state an event trigger follows"),
  state: z.string().nullable().describe("The state of that job or saga that fires the trigger"),
});

/** The answer to `GET /api/triggers`. */
export const TriggerListSchema: z.ZodObject<{ items: z.ZodArray<typeof TriggerSchema> }> = z
  .object({ items: z.array(TriggerSchema) });

/** The query of `GET /api/deliveries`. */
export const ListDeliveriesSchema: z.ZodObject<{
  limit: QueryIntegerSchema;
  offset: QueryIntegerSchema;
  trigger: z.ZodOptional<z.ZodString>;
  state: z.ZodOptional<typeof DeliveryStateSchema>;
}> = OffsetPaginationQuerySchema.extend({
  trigger: z.string().min(1).max(128).optional(),
  state: DeliveryStateSchema.optional(),
});

/** A delivery id in the path. */
export const DeliveryIdSchema: z.ZodObject<{ id: z.ZodString }> = z.object({
  id: z.string().min(1).max(128),
});

/** The input of `POST /api/triggers/{name}/fire`. */
export const FireTriggerSchema: z.ZodObject<
  { name: z.ZodString; payload: z.ZodOptional<z.ZodUnknown> }
> = z.object({
  name: z.string().min(1).max(128),
  payload: z.unknown().optional().describe(
    "A webhook or event trigger's payload, checked by its input schema; ignored for a cron trigger",
  ),
});

/** The answer to a fire or a replay: the delivery recorded. */
export const RecordedDeliverySchema: z.ZodObject<{ deliveryId: z.ZodString }> = z.object({
  deliveryId: z.string().describe("The new delivery's id: GET /api/deliveries/{id}"),
});

/** Delivery counts by state. */
export const DeliveryStatsSchema: z.ZodObject<{ [K in keyof DeliveryStates]: z.ZodNumber }> = z
  .object({
    pending: z.number().int(),
    dispatched: z.number().int(),
    skipped: z.number().int(),
    rejected: z.number().int(),
    failed: z.number().int(),
  });

/** The error a fire or replay returns for a payload the trigger's input schema refuses. */
export type PayloadInvalidErrorMap = {
  /** 422: the trigger's input schema refuses the payload. */
  readonly PAYLOAD_INVALID: {
    readonly status: 422;
    readonly message: string;
    readonly data: z.ZodObject<{
      issues: z.ZodArray<z.ZodObject<{ path: z.ZodString; message: z.ZodString }>>;
    }>;
  };
};

/** The errors a fire or replay adds to the common ones. */
export const PAYLOAD_INVALID_ERROR: PayloadInvalidErrorMap = {
  PAYLOAD_INVALID: {
    status: 422,
    message: "The trigger's input schema refuses the payload",
    data: z.object({ issues: z.array(z.object({ path: z.string(), message: z.string() })) }),
  },
};

/** A procedure of this contract with the common errors. */
export type TriggersProcedure<TInput extends z.ZodType, TOutput extends z.ZodType> =
  ContractProcedure<
    TInput,
    TOutput,
    CommonErrorMap,
    Record<never, never>
  >;

/** A procedure of this contract that records a delivery: the common errors and `PAYLOAD_INVALID`. */
export type RecordingProcedure<TInput extends z.ZodType> = ContractProcedure<
  TInput,
  typeof RecordedDeliverySchema,
  MergedErrorMap<CommonErrorMap, PayloadInvalidErrorMap>,
  Record<never, never>
>;

/** The shape of {@linkcode triggersContract}. */
export type TriggersContract = {
  /** Triggers. */
  readonly triggers: {
    /** `GET /api/triggers`: the workspace's triggers. */
    readonly list: TriggersProcedure<z.ZodObject<Record<never, never>>, typeof TriggerListSchema>;
    /** `POST /api/triggers/{name}/fire`: record a manual delivery. */
    readonly fire: RecordingProcedure<typeof FireTriggerSchema>;
  };
  /** Deliveries. */
  readonly deliveries: {
    /** `GET /api/deliveries?trigger=&state=&limit=&offset=`, newest first. */
    readonly list: TriggersProcedure<
      typeof ListDeliveriesSchema,
      PaginatedSchema<typeof DeliverySchema>
    >;
    /** `GET /api/deliveries/{id}`. */
    readonly get: TriggersProcedure<typeof DeliveryIdSchema, typeof DeliverySchema>;
    /** `POST /api/deliveries/{id}/replay`: record a new delivery with the same payload. */
    readonly replay: RecordingProcedure<typeof DeliveryIdSchema>;
  };
  /** `GET /api/stats`: deliveries by state. */
  readonly stats: TriggersProcedure<z.ZodObject<Record<never, never>>, typeof DeliveryStatsSchema>;
};

const tags = ["triggers"];

/** The `triggers-api` contract, version 1. */
export const triggersContract: TriggersContract = {
  triggers: {
    list: baseContract
      .route({ method: "GET", path: "/triggers", summary: "List the workspace's triggers", tags })
      .input(z.object({}))
      .output(TriggerListSchema),
    fire: baseContract
      .errors(PAYLOAD_INVALID_ERROR)
      .route({
        method: "POST",
        path: "/triggers/{name}/fire",
        summary: "Fire a trigger by hand",
        description:
          "Records a manual delivery, dispatched like any other. A webhook or event trigger's payload is checked by its input schema (422 PAYLOAD_INVALID); a cron trigger fires as a tick at the current time. An unknown trigger is a 404.",
        successStatus: 202,
        tags,
      })
      .input(FireTriggerSchema)
      .output(RecordedDeliverySchema),
  },
  deliveries: {
    list: baseContract
      .route({ method: "GET", path: "/deliveries", summary: "List deliveries, newest first", tags })
      .input(ListDeliveriesSchema)
      .output(paginatedSchema(DeliverySchema)),
    get: baseContract
      .route({ method: "GET", path: "/deliveries/{id}", summary: "Get a delivery", tags })
      .input(DeliveryIdSchema)
      .output(DeliverySchema),
    replay: baseContract
      .errors(PAYLOAD_INVALID_ERROR)
      .route({
        method: "POST",
        path: "/deliveries/{id}/replay",
        summary: "Replay a delivery",
        description:
          "Records a new delivery with the same payload (source replay, replayOf the original), dispatched like any other: its job or saga starts again. A payload the trigger's current input schema refuses is a 422 PAYLOAD_INVALID; a delivery of a trigger the workspace no longer has is a 409.",
        successStatus: 202,
        tags,
      })
      .input(DeliveryIdSchema)
      .output(RecordedDeliverySchema),
  },
  stats: baseContract
    .route({ method: "GET", path: "/stats", summary: "Count deliveries by state", tags })
    .input(z.object({}))
    .output(DeliveryStatsSchema),
};
