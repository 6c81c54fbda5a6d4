import { z } from "zod";

/** One validation problem: where in the input it is, and what is wrong. */
export const ValidationIssueSchema: z.ZodObject<{
  path: z.ZodArray<z.ZodUnion<readonly [z.ZodString, z.ZodNumber]>>;
  message: z.ZodString;
  code: z.ZodOptional<z.ZodString>;
}> = z.object({
  path: z.array(z.union([z.string(), z.number()])),
  message: z.string(),
  code: z.string().optional(),
});

/** One validation problem, as carried by a `BAD_REQUEST` error. */
export type ValidationIssue = z.infer<typeof ValidationIssueSchema>;

/** The data of a `BAD_REQUEST` error: every validation problem found. */
export const BadRequestDataSchema: z.ZodObject<{
  issues: z.ZodArray<typeof ValidationIssueSchema>;
}> = z.object({ issues: z.array(ValidationIssueSchema) });

/** The optional data of a `NOT_FOUND` error: what was looked for. */
export const NotFoundDataSchema: z.ZodOptional<
  z.ZodObject<{ resource: z.ZodOptional<z.ZodString>; id: z.ZodOptional<z.ZodString> }>
> = z.object({ resource: z.string().optional(), id: z.string().optional() }).optional();

/** The optional data of a `CONFLICT` error: what clashed with what exists. */
export const ConflictDataSchema: z.ZodOptional<
  z.ZodObject<{ resource: z.ZodOptional<z.ZodString>; field: z.ZodOptional<z.ZodString> }>
> = z.object({ resource: z.string().optional(), field: z.string().optional() }).optional();

/** The optional data of a `TOO_MANY_REQUESTS` error: when to try again. */
export const TooManyRequestsDataSchema: z.ZodOptional<
  z.ZodObject<{ retryAfterSeconds: z.ZodNumber }>
> = z.object({ retryAfterSeconds: z.number().int().min(0) }).optional();

/**
 * The optional data of a `SERVICE_UNAVAILABLE` error: what the service could
 * not reach, and when to try again.
 */
export const ServiceUnavailableDataSchema: z.ZodOptional<
  z.ZodObject<{
    dependency: z.ZodOptional<z.ZodString>;
    retryAfterSeconds: z.ZodOptional<z.ZodNumber>;
  }>
> = z.object({
  dependency: z.string().optional(),
  retryAfterSeconds: z.number().int().min(0).optional(),
}).optional();

/** The shape of {@linkcode COMMON_ERRORS}: an oRPC error map. */
export type CommonErrorMap = {
  /** Invalid input: 400, with every validation issue. */
  readonly BAD_REQUEST: {
    readonly status: 400;
    readonly message: string;
    readonly data: typeof BadRequestDataSchema;
  };
  /** No or invalid credentials: 401. */
  readonly UNAUTHORIZED: { readonly status: 401; readonly message: string };
  /** Authenticated but not allowed: 403. */
  readonly FORBIDDEN: { readonly status: 403; readonly message: string };
  /** The resource does not exist: 404. */
  readonly NOT_FOUND: {
    readonly status: 404;
    readonly message: string;
    readonly data: typeof NotFoundDataSchema;
  };
  /** The request clashes with the current state: 409. */
  readonly CONFLICT: {
    readonly status: 409;
    readonly message: string;
    readonly data: typeof ConflictDataSchema;
  };
  /** Rate limited: 429. */
  readonly TOO_MANY_REQUESTS: {
    readonly status: 429;
    readonly message: string;
    readonly data: typeof TooManyRequestsDataSchema;
  };
  /** The server failed: 500, with a generic message. */
  readonly INTERNAL_SERVER_ERROR: { readonly status: 500; readonly message: string };
  /** Something the service depends on (its database, a store) cannot be reached: 503. */
  readonly SERVICE_UNAVAILABLE: {
    readonly status: 503;
    readonly message: string;
    readonly data: typeof ServiceUnavailableDataSchema;
  };
};

/**
 * The error map every NetScript contract starts from. Each entry carries its
 * HTTP status, a default message and, where it has data, a typed data schema,
 * so clients receive these errors typed.
 *
 * @example Read a status
 * ```ts
 * import { COMMON_ERRORS } from "@netscript/contracts";
 *
 * console.log(COMMON_ERRORS.NOT_FOUND.status); // 404
 * ```
 */
export const COMMON_ERRORS: CommonErrorMap = {
  BAD_REQUEST: { status: 400, message: "Input validation failed", data: BadRequestDataSchema },
  UNAUTHORIZED: { status: 401, message: "Authentication is required" },
  FORBIDDEN: { status: 403, message: "You are not allowed to do this" },
  NOT_FOUND: { status: 404, message: "Not found", data: NotFoundDataSchema },
  CONFLICT: { status: 409, message: "Conflict with the current state", data: ConflictDataSchema },
  TOO_MANY_REQUESTS: {
    status: 429,
    message: "Too many requests",
    data: TooManyRequestsDataSchema,
  },
  INTERNAL_SERVER_ERROR: { status: 500, message: "Internal server error" },
  SERVICE_UNAVAILABLE: {
    status: 503,
    message: "A service this one depends on is unavailable",
    data: ServiceUnavailableDataSchema,
  },
};
