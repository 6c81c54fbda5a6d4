/**
 * Version 1 of the `workers-api` contract: enqueue, inspect, cancel and
 * retry jobs, list and redrive dead letters, and count jobs by state. The
 * typed client, the REST routes, the OpenAPI document and the traces all
 * derive from it.
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
import {
  isStorableText,
  JOB_STATES,
  MAX_PRIORITY,
  MAX_RUN_AT,
  MAX_UNIQUE_KEY_LENGTH,
  MIN_PRIORITY,
  MIN_RUN_AT,
} from "@netscript/plugin-workers-core";
import { z } from "zod";

const UNSTORABLE_TEXT = "must not hold a NUL character or a lone surrogate";

/** A string every job store can keep. */
function _storableString(): z.ZodString {
  return z.string().refine(isStorableText, { message: UNSTORABLE_TEXT });
}

/** The job states, as a zod enum's value map. */
export type JobStates = {
  queued: "queued";
  scheduled: "scheduled";
  running: "running";
  completed: "completed";
  failed: "failed";
  dead: "dead";
  cancelled: "cancelled";
};

/** A job's state. */
export const JobStateSchema: z.ZodEnum<JobStates> = z.enum(JOB_STATES);

/** A job as `workers-api` returns it. */
export const JobSchema: z.ZodObject<{
  id: z.ZodString;
  name: z.ZodString;
  input: z.ZodUnknown;
  state: typeof JobStateSchema;
  priority: z.ZodNumber;
  runAt: z.ZodISODateTime;
  attempts: z.ZodNumber;
  maxAttempts: z.ZodNumber;
  uniqueKey: z.ZodNullable<z.ZodString>;
  lastError: z.ZodNullable<z.ZodString>;
  createdAt: z.ZodISODateTime;
  updatedAt: z.ZodISODateTime;
  finishedAt: z.ZodNullable<z.ZodISODateTime>;
}> = z.object({
  id: z.string().describe("The job's id"),
  name: z.string().describe("The job definition's name"),
  input: z.unknown().describe("The validated input"),
  state: JobStateSchema,
  priority: z.number().int(),
  runAt: z.iso.datetime().describe("When the job may run (next)"),
  attempts: z.number().int().min(0).describe("Attempts started so far"),
  maxAttempts: z.number().int().min(1),
  uniqueKey: z.string().nullable(),
  lastError: z.string().nullable().describe("The last failed attempt's error"),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime().nullable(),
});

/** The body of `POST /api/jobs`. */
export const EnqueueJobSchema: z.ZodObject<{
  name: z.ZodString;
  input: z.ZodUnknown;
  runAt: z.ZodOptional<z.ZodISODateTime>;
  priority: z.ZodOptional<z.ZodNumber>;
  uniqueKey: z.ZodOptional<z.ZodString>;
}> = z.object({
  name: _storableString().min(1).describe("The job definition's name"),
  input: z.unknown().describe(
    "The job's input, validated against the job's schema; no string or key in it may hold a NUL character or a lone surrogate",
  ),
  runAt: z.iso.datetime().refine((value) => {
    const time = Date.parse(value);
    return time >= MIN_RUN_AT.getTime() && time <= MAX_RUN_AT.getTime();
  }, { message: "must be a valid date in years 1 to 9999" }).optional().describe(
    "Run no earlier than this (years 1 to 9999)",
  ),
  priority: z.number().int().min(MIN_PRIORITY).max(MAX_PRIORITY).optional().describe(
    "Overrides the job's priority; higher first (a 32-bit integer)",
  ),
  uniqueKey: _storableString().min(1).max(MAX_UNIQUE_KEY_LENGTH).optional().describe(
    `Deduplicates while a job with it is unfinished (at most ${MAX_UNIQUE_KEY_LENGTH} characters)`,
  ),
});

/** The answer to `POST /api/jobs`. */
export const EnqueuedSchema: z.ZodObject<{ id: z.ZodString; deduplicated: z.ZodBoolean }> = z
  .object({
    id: z.string(),
    deduplicated: z.boolean().describe("true when an unfinished job with the uniqueKey existed"),
  });

/** The query of `GET /api/jobs`. */
export const ListJobsSchema: z.ZodObject<{
  limit: QueryIntegerSchema;
  offset: QueryIntegerSchema;
  state: z.ZodOptional<typeof JobStateSchema>;
  name: z.ZodOptional<z.ZodString>;
}> = OffsetPaginationQuerySchema.extend({
  state: JobStateSchema.optional(),
  name: _storableString().min(1).optional(),
});

/** A job id in the path. */
export const JobIdSchema: z.ZodObject<{ id: z.ZodString }> = z.object({ id: z.string() });

/** Job counts by state. */
export const StatsSchema: z.ZodObject<{ [K in keyof JobStates]: z.ZodNumber }> = z.object({
  queued: z.number().int(),
  scheduled: z.number().int(),
  running: z.number().int(),
  completed: z.number().int(),
  failed: z.number().int(),
  dead: z.number().int(),
  cancelled: z.number().int(),
});

/** The error `POST /api/jobs` returns for a name the workspace does not define. */
export type UnknownJobErrorMap = {
  /** 422: no job definition has this name. */
  readonly UNKNOWN_JOB: {
    readonly status: 422;
    readonly message: string;
    readonly data: z.ZodObject<{ job: z.ZodString; known: z.ZodArray<z.ZodString> }>;
  };
};

/** The errors `POST /api/jobs` adds to the common ones. */
export const UNKNOWN_JOB_ERROR: UnknownJobErrorMap = {
  UNKNOWN_JOB: {
    status: 422,
    message: "No job with this name",
    data: z.object({ job: z.string(), known: z.array(z.string()) }),
  },
};

/** The shape of {@linkcode workersContract}. */
export type WorkersContract = {
  /** Jobs. */
  readonly jobs: {
    /** `POST /api/jobs`: validate and enqueue a job. */
    readonly enqueue: ContractProcedure<
      typeof EnqueueJobSchema,
      typeof EnqueuedSchema,
      MergedErrorMap<CommonErrorMap, UnknownJobErrorMap>,
      Record<never, never>
    >;
    /** `GET /api/jobs/{id}`. */
    readonly get: ContractProcedure<
      typeof JobIdSchema,
      typeof JobSchema,
      CommonErrorMap,
      Record<never, never>
    >;
    /** `GET /api/jobs?state=&name=&limit=&offset=`, newest first. */
    readonly list: ContractProcedure<
      typeof ListJobsSchema,
      PaginatedSchema<typeof JobSchema>,
      CommonErrorMap,
      Record<never, never>
    >;
    /** `POST /api/jobs/{id}/cancel`: a waiting job only. */
    readonly cancel: ContractProcedure<
      typeof JobIdSchema,
      typeof JobSchema,
      CommonErrorMap,
      Record<never, never>
    >;
    /** `POST /api/jobs/{id}/retry`: a failed, dead or cancelled job, with fresh attempts. */
    readonly retry: ContractProcedure<
      typeof JobIdSchema,
      typeof JobSchema,
      CommonErrorMap,
      Record<never, never>
    >;
  };
  /** Jobs that failed their last attempt. */
  readonly deadLetters: {
    /** `GET /api/dead-letters`, newest first. */
    readonly list: ContractProcedure<
      typeof OffsetPaginationQuerySchema,
      PaginatedSchema<typeof JobSchema>,
      CommonErrorMap,
      Record<never, never>
    >;
    /** `POST /api/dead-letters/{id}/redrive`: run a dead job again. */
    readonly redrive: ContractProcedure<
      typeof JobIdSchema,
      typeof JobSchema,
      CommonErrorMap,
      Record<never, never>
    >;
  };
  /** `GET /api/stats`: counts by state. */
  readonly stats: ContractProcedure<
    z.ZodObject<Record<never, never>>,
    typeof StatsSchema,
    CommonErrorMap,
    Record<never, never>
  >;
};

const tags = ["workers"];

/** The `workers-api` contract, version 1. */
export const workersContract: WorkersContract = {
  jobs: {
    enqueue: baseContract
      .errors(UNKNOWN_JOB_ERROR)
      .route({
        method: "POST",
        path: "/jobs",
        summary: "Enqueue a job",
        description:
          "Validates the input against the job's schema and enqueues it. Invalid input is a 400 with every issue and enqueues nothing; a name the workspace does not define is a 422 UNKNOWN_JOB.",
        successStatus: 201,
        tags,
      })
      .input(EnqueueJobSchema)
      .output(EnqueuedSchema),
    get: baseContract
      .route({ method: "GET", path: "/jobs/{id}", summary: "Get a job", tags })
      .input(JobIdSchema)
      .output(JobSchema),
    list: baseContract
      .route({ method: "GET", path: "/jobs", summary: "List jobs, newest first", tags })
      .input(ListJobsSchema)
      .output(paginatedSchema(JobSchema)),
    cancel: baseContract
      .route({
        method: "POST",
        path: "/jobs/{id}/cancel",
        summary: "Cancel a waiting job",
        description: "Only a queued, scheduled or failed (waiting for a retry) job; otherwise 409.",
        tags,
      })
      .input(JobIdSchema)
      .output(JobSchema),
    retry: baseContract
      .route({
        method: "POST",
        path: "/jobs/{id}/retry",
        summary: "Run a failed, dead or cancelled job again",
        description: "Starts over with a fresh set of attempts; any other state is a 409.",
        tags,
      })
      .input(JobIdSchema)
      .output(JobSchema),
  },
  deadLetters: {
    list: baseContract
      .route({
        method: "GET",
        path: "/dead-letters",
        summary: "List jobs that failed their last attempt",
        tags,
      })
      .input(OffsetPaginationQuerySchema)
      .output(paginatedSchema(JobSchema)),
    redrive: baseContract
      .route({
        method: "POST",
        path: "/dead-letters/{id}/redrive",
        summary: "Run a dead job again",
        description: "Only a dead job; otherwise 409.",
        tags,
      })
      .input(JobIdSchema)
      .output(JobSchema),
  },
  stats: baseContract
    .route({ method: "GET", path: "/stats", summary: "Count jobs by state", tags })
    .input(z.object({}))
    .output(StatsSchema),
};
