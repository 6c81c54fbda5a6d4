import type { AnyContractRouter } from "@orpc/contract";
import { OpenAPIGenerator } from "@orpc/openapi";
import { ZodToJsonSchemaConverter } from "@orpc/zod/zod4";

/** An OpenAPI 3.1 document, as plain JSON. */
export type OpenAPIDocument = Record<string, unknown> & {
  openapi: string;
  info: { title: string; version: string; description?: string };
  paths?: Record<string, unknown>;
};

/** Where the REST routes are mounted; the document's server URL. */
export const REST_PREFIX = "/api";

/** The JSON Schema converter shared by document generation and query coercion. */
export const schemaConverters: ZodToJsonSchemaConverter[] = [new ZodToJsonSchemaConverter()];

/**
 * Generates the OpenAPI document of a contract: every procedure with its
 * route, input, output and declared errors.
 *
 * @param contract The contract router.
 * @param info Title, version and description of the API.
 * @returns The document.
 */
export async function generateOpenAPIDocument(
  contract: AnyContractRouter,
  info: { title: string; version: string; description?: string },
): Promise<OpenAPIDocument> {
  const generator = new OpenAPIGenerator({ schemaConverters });
  const document = await generator.generate(contract, {
    info,
    servers: [{ url: REST_PREFIX }],
  });
  return document as unknown as OpenAPIDocument;
}
