/**
 * The typed errors of the `sagas-api` contract: one per code of
 * `SAGAS_CORE_ERROR_CODES` a caller can cause, with its HTTP status and
 * the data it carries.
 *
 * @module
 */
import { z } from "zod";

/** The issues of an input a saga's schema refuses: where, and what is wrong. */
export type IssueListSchema = z.ZodArray<
  z.ZodObject<{ path: z.ZodString; message: z.ZodString }>
>;

const issues: IssueListSchema = z.array(z.object({ path: z.string(), message: z.string() }));

/**
 * One entry of {@linkcode SagasErrorMap}.
 *
 * @template TStatus Its HTTP status.
 * @template TData The schema of its data.
 */
export type SagasErrorEntry<TStatus extends number, TData extends z.ZodType> = {
  readonly status: TStatus;
  readonly message: string;
  readonly data: TData;
};

/** The shape of {@linkcode SAGAS_ERRORS}: an oRPC error map. */
export type SagasErrorMap = {
  /** 404: no saga definition has the name. */
  readonly SAGAS_UNKNOWN_SAGA: SagasErrorEntry<
    404,
    z.ZodObject<{ saga: z.ZodString; known: z.ZodArray<z.ZodString> }>
  >;
  /** 400: the input does not match the saga's schema. */
  readonly SAGAS_INVALID_INPUT: SagasErrorEntry<
    400,
    z.ZodObject<{ saga: z.ZodString; issues: IssueListSchema }>
  >;
  /** 400: the id is not 1–200 letters, digits and `. _ : -`. */
  readonly SAGAS_INVALID_ID: SagasErrorEntry<400, z.ZodObject<{ id: z.ZodString }>>;
  /** 400: a value cannot be kept as JSON (a NUL character, a lone surrogate). */
  readonly SAGAS_NOT_JSON: SagasErrorEntry<
    400,
    z.ZodObject<{ what: z.ZodString; problem: z.ZodString }>
  >;
  /** 404: no saga has the id. */
  readonly SAGAS_NOT_FOUND: SagasErrorEntry<404, z.ZodObject<{ id: z.ZodString }>>;
  /** 409: the id is taken by a saga of another name. */
  readonly SAGAS_ID_CONFLICT: SagasErrorEntry<
    409,
    z.ZodObject<{ id: z.ZodString; saga: z.ZodString; existing: z.ZodString }>
  >;
  /** 409: the saga has finished and takes no signal. */
  readonly SAGAS_FINISHED: SagasErrorEntry<
    409,
    z.ZodObject<{ id: z.ZodString; state: z.ZodString }>
  >;
  /** 409: only a failed saga can be retried. */
  readonly SAGAS_NOT_RETRYABLE: SagasErrorEntry<
    409,
    z.ZodObject<{ id: z.ZodString; state: z.ZodString }>
  >;
  /** 413: a value is over 512 KiB of JSON. */
  readonly SAGAS_VALUE_TOO_LARGE: SagasErrorEntry<
    413,
    z.ZodObject<{ what: z.ZodString; bytes: z.ZodNumber; limit: z.ZodNumber }>
  >;
};

/**
 * Every saga error `sagas-api` may answer, by code: the codes of
 * `SAGAS_CORE_ERROR_CODES` a caller can cause, each with its status and data.
 *
 * @example
 * ```ts
 * import { SAGAS_ERRORS } from "@netscript/plugin-sagas/contract";
 *
 * console.log(SAGAS_ERRORS.SAGAS_NOT_FOUND.status); // 404
 * ```
 */
export const SAGAS_ERRORS: SagasErrorMap = {
  SAGAS_UNKNOWN_SAGA: {
    status: 404,
    message: "No saga definition has this name",
    data: z.object({ saga: z.string(), known: z.array(z.string()) }),
  },
  SAGAS_INVALID_INPUT: {
    status: 400,
    message: "The input does not match the saga's schema",
    data: z.object({ saga: z.string(), issues }),
  },
  SAGAS_INVALID_ID: {
    status: 400,
    message: "Not a saga id",
    data: z.object({ id: z.string() }),
  },
  SAGAS_NOT_JSON: {
    status: 400,
    message: "The value cannot be kept as JSON",
    data: z.object({ what: z.string(), problem: z.string() }),
  },
  SAGAS_NOT_FOUND: {
    status: 404,
    message: "No saga has this id",
    data: z.object({ id: z.string() }),
  },
  SAGAS_ID_CONFLICT: {
    status: 409,
    message: "The id is taken by a saga of another name",
    data: z.object({ id: z.string(), saga: z.string(), existing: z.string() }),
  },
  SAGAS_FINISHED: {
    status: 409,
    message: "The saga has finished; it takes no signal",
    data: z.object({ id: z.string(), state: z.string() }),
  },
  SAGAS_NOT_RETRYABLE: {
    status: 409,
    message: "Only a failed saga can be retried",
    data: z.object({ id: z.string(), state: z.string() }),
  },
  SAGAS_VALUE_TOO_LARGE: {
    status: 413,
    message: "The value is over the size limit",
    data: z.object({ what: z.string(), bytes: z.number().int(), limit: z.number().int() }),
  },
};
