import { z } from "zod";

/** The schema type of a query-string friendly integer with a default. */
export type QueryIntegerSchema = z.ZodDefault<z.ZodCoercedNumber<number | string>>;

/**
 * Offset pagination parameters: `limit` (integer 1..100, default 20) and
 * `offset` (integer ≥ 0, default 0). Numeric strings are accepted, so the
 * same schema works for REST query strings and typed RPC calls.
 *
 * @example Parse a query string
 * ```ts
 * import { OffsetPaginationQuerySchema } from "@netscript/contracts";
 *
 * const page = OffsetPaginationQuerySchema.parse({ limit: "5" });
 * console.log(page); // { limit: 5, offset: 0 }
 * ```
 */
export const OffsetPaginationQuerySchema: z.ZodObject<{
  limit: QueryIntegerSchema;
  offset: QueryIntegerSchema;
}> = z.object({
  limit: z.coerce.number<number | string>().int().min(1).max(100).default(20),
  offset: z.coerce.number<number | string>().int().min(0).default(0),
});

/** Parsed offset pagination parameters. */
export type OffsetPaginationQuery = z.output<typeof OffsetPaginationQuerySchema>;

/** One page of results: the items, the total count, and the window asked for. */
export interface Paginated<T> {
  /** The items on this page. */
  items: T[];
  /** How many items exist in all. */
  total: number;
  /** The page size that was asked for. */
  limit: number;
  /** How many items were skipped. */
  offset: number;
}

/** The schema type returned by {@linkcode paginatedSchema}. */
export type PaginatedSchema<TItem extends z.ZodType> = z.ZodObject<{
  items: z.ZodArray<TItem>;
  total: z.ZodNumber;
  limit: z.ZodNumber;
  offset: z.ZodNumber;
}>;

/**
 * Builds the output schema of a paginated list: `{ items, total, limit, offset }`.
 *
 * @param item The schema of one item.
 * @returns An object schema for one page of `item`.
 *
 * @example A paginated list output
 * ```ts
 * import { baseContract, OffsetPaginationQuerySchema, paginatedSchema } from "@netscript/contracts";
 * import { z } from "zod";
 *
 * const list = baseContract
 *   .route({ method: "GET", path: "/users" })
 *   .input(OffsetPaginationQuerySchema)
 *   .output(paginatedSchema(z.object({ id: z.string() })));
 * ```
 */
export function paginatedSchema<TItem extends z.ZodType>(item: TItem): PaginatedSchema<TItem> {
  return z.object({
    items: z.array(item),
    total: z.number().int().min(0),
    limit: z.number().int().min(1),
    offset: z.number().int().min(0),
  });
}

/**
 * Cuts one page out of an in-memory list, for services whose data is already
 * loaded. Databases should page in the query instead.
 *
 * @param all Every item, in display order.
 * @param query The parsed pagination parameters.
 * @returns The page of items with the total count.
 *
 * @example
 * ```ts
 * import { paginate } from "@netscript/contracts";
 *
 * console.log(paginate(["a", "b", "c"], { limit: 2, offset: 1 })); // items ["b", "c"], total 3
 * ```
 */
export function paginate<T>(all: readonly T[], query: OffsetPaginationQuery): Paginated<T> {
  return {
    items: all.slice(query.offset, query.offset + query.limit),
    total: all.length,
    limit: query.limit,
    offset: query.offset,
  };
}
