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
  _describeErrorResponses(document as unknown as OpenAPIDocument);
  return document as unknown as OpenAPIDocument;
}

interface _ErrorVariant {
  properties?: { code?: { const?: unknown }; message?: { default?: unknown } };
}

interface _Response {
  description?: string;
  content?: Record<string, { schema?: { oneOf?: _ErrorVariant[] } }>;
}

/**
 * oRPC describes each error response only by its status code; describe it by
 * the errors the contract declares for that status instead, e.g.
 * `NOT_FOUND: Not found`.
 */
function _describeErrorResponses(document: OpenAPIDocument): void {
  for (const operations of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(operations as Record<string, unknown>)) {
      const responses = (operation as { responses?: Record<string, _Response> }).responses ?? {};
      for (const [status, response] of Object.entries(responses)) {
        if (response.description !== status) continue;
        const variants = response.content?.["application/json"]?.schema?.oneOf ?? [];
        const declared = variants.flatMap((variant) => {
          const code = variant.properties?.code?.const;
          const message = variant.properties?.message?.default;
          return typeof code === "string" ? [`${code}: ${message ?? code}`] : [];
        });
        if (declared.length > 0) response.description = declared.join("; ");
      }
    }
  }
}
