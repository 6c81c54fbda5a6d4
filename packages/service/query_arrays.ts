/**
 * One value of a query array is an array of one. A REST query is decoded
 * into an object where `?tags=a&tags=b` gives `tags: ["a", "b"]` but
 * `?tags=a` gives `tags: "a"`, which an array schema refuses, while the
 * OpenAPI document (and every client generated from it) sends one tag
 * exactly that way.
 *
 * @module
 */
import type { AnySchema } from "@orpc/contract";
import type { Context } from "@orpc/server";
import type { StandardHandlerOptions, StandardHandlerPlugin } from "@orpc/server/standard";
import { schemaConverters } from "./openapi_document.ts";

/** The methods whose input is read from the query string. */
const QUERY_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD"]);

/** The procedure details the interceptor reads. */
interface _Procedure {
  "~orpc": { inputSchema?: AnySchema; route: { method?: string } };
}

/** Wraps the lone value of a query array parameter in an array; see the module. */
export class QueryArrays<T extends Context> implements StandardHandlerPlugin<T> {
  /** The top-level array properties of each input schema, by schema. */
  readonly #arrays = new WeakMap<object, ReadonlySet<string>>();

  /**
   * Adds the interceptor in front of the others, so that the coercion of
   * array items (`?ids=1` to `[1]`) sees the array.
   *
   * @param options The handler's options.
   */
  init(options: StandardHandlerOptions<T>): void {
    options.clientInterceptors ??= [];
    options.clientInterceptors.unshift(async (call) => {
      const procedure = call.procedure as unknown as _Procedure;
      const schema = procedure["~orpc"].inputSchema;
      const input = call.input;
      if (
        schema === undefined || !QUERY_METHODS.has(procedure["~orpc"].route.method ?? "POST") ||
        typeof input !== "object" || input === null
      ) {
        return await call.next();
      }
      const arrays = await this.#arrayProperties(schema);
      let wrapped: Record<string, unknown> | undefined;
      for (const key of arrays) {
        const value = (input as Record<string, unknown>)[key];
        if (typeof value !== "string") continue;
        wrapped ??= { ...input as Record<string, unknown> };
        wrapped[key] = [value];
      }
      return await (wrapped === undefined ? call.next() : call.next({ ...call, input: wrapped }));
    });
  }

  async #arrayProperties(schema: AnySchema): Promise<ReadonlySet<string>> {
    let arrays = this.#arrays.get(schema);
    if (arrays === undefined) {
      const [, json] = await schemaConverters[0]!.convert(schema, { strategy: "input" });
      const properties = (json as { properties?: Record<string, { type?: unknown }> }).properties ??
        {};
      arrays = new Set(
        Object.entries(properties).filter(([, property]) => property.type === "array").map((
          [key],
        ) => key),
      );
      this.#arrays.set(schema, arrays);
    }
    return arrays;
  }
}
