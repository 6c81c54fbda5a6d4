import type { AnyContractRouter } from "@orpc/contract";
import {
  securityRequirements,
  SERVICE_CREDENTIAL_SCHEME,
  SESSION_SCHEME,
} from "@netscript/contracts";
import { type DefaultAccess, requiredAccess } from "./access_check.ts";
import { OpenAPIGenerator } from "@orpc/openapi";
import type { ZodToJsonSchemaConverter } from "@orpc/zod/zod4";
import { contractSchemaConverter } from "@netscript/contracts/json-schema";

/** An OpenAPI 3.1 document, as plain JSON. */
export type OpenAPIDocument = Record<string, unknown> & {
  openapi: string;
  info: { title: string; version: string; description?: string };
  paths?: Record<string, unknown>;
};

/** Where the REST routes are mounted; the document's server URL. */
export const REST_PREFIX = "/api";

/** The JSON Schema converter shared by document generation and query coercion. */
export const schemaConverters: ZodToJsonSchemaConverter[] = [contractSchemaConverter];

/**
 * A security scheme of an OpenAPI document: how callers authenticate, e.g.
 * `{ type: "http", scheme: "bearer", bearerFormat: "JWT" }`.
 */
export type OpenAPISecurityScheme =
  | {
    readonly type: "http";
    readonly scheme: string;
    readonly bearerFormat?: string;
    readonly description?: string;
  }
  | {
    readonly type: "apiKey";
    readonly name: string;
    readonly in: "query" | "header" | "cookie";
    readonly description?: string;
  }
  | {
    readonly type: "openIdConnect";
    readonly openIdConnectUrl: string;
    readonly description?: string;
  }
  | {
    readonly type: "oauth2";
    readonly flows: Readonly<Record<string, unknown>>;
    readonly description?: string;
  };

/**
 * What a service's OpenAPI document says beyond its contract: who may use
 * the API, where it is reached, how callers authenticate. Given to
 * `createService({ openapi })`.
 */
export interface ServiceOpenAPIOptions {
  /** The API's license, e.g. `{ name: "MIT", identifier: "MIT" }`. */
  readonly license?: { readonly name: string; readonly identifier?: string; readonly url?: string };
  /** Who to contact about the API. */
  readonly contact?: { readonly name?: string; readonly url?: string; readonly email?: string };
  /** A URL of the terms of service. */
  readonly termsOfService?: string;
  /**
   * Where the service is reached, e.g. `{ url: "https://api.example.com" }`;
   * `/api` is appended to each URL, where the REST routes are.
   * @default {[{ url: "/api" }]: the host the document was read from}
   */
  readonly servers?: readonly { readonly url: string; readonly description?: string }[];
  /** Descriptions of the tags procedures carry in their `.route({ tags })`. */
  readonly tags?: readonly { readonly name: string; readonly description?: string }[];
  /** The security schemes `security` names, by name. */
  readonly securitySchemes?: Readonly<Record<string, OpenAPISecurityScheme>>;
  /**
   * The security requirements of every operation. The default, `[]`, says
   * that the service itself checks no credentials.
   * @default {[]}
   */
  readonly security?: readonly Readonly<Record<string, readonly string[]>>[];
}

/** The title, version and description of a document, and the options above. */
export interface OpenAPIDocumentOptions extends ServiceOpenAPIOptions {
  /** The API's title: the service name. */
  readonly title: string;
  /** The API's version. */
  readonly version: string;
  /** What the API does. */
  readonly description?: string;
  /**
   * What an operation that declares no access requires (the service's
   * `defaultAccess` when it is guarded).
   * @default {"public"}
   */
  readonly defaultAccess?: DefaultAccess;
}

/** The security schemes access declarations name. */
const ACCESS_SCHEMES: Readonly<Record<string, OpenAPISecurityScheme>> = {
  [SESSION_SCHEME]: {
    type: "apiKey",
    in: "cookie",
    name: "session",
    description:
      "The session cookie auth-api sets when a user signs in at /auth/signin (its name depends on the auth backend); roles and scopes a route requires are listed with it",
  },
  [SERVICE_CREDENTIAL_SCHEME]: {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description:
      "A service credential: the short-lived token the workspace's own processes send each other, made from NETSCRIPT_SERVICE_SECRET",
  },
};

/**
 * Generates the OpenAPI document of a contract: every procedure with its
 * route, input, output and declared errors, plus the answers the service
 * gives before a procedure runs (a body too large, too slow or not JSON).
 *
 * @param contract The contract router.
 * @param options Title, version, description, and what the document says beyond the contract.
 * @param prefix Where the REST routes are served: `/api`, or `/api/<version>`.
 * @returns The document.
 */
export async function generateOpenAPIDocument(
  contract: AnyContractRouter,
  options: OpenAPIDocumentOptions,
  prefix: string = REST_PREFIX,
): Promise<OpenAPIDocument> {
  const generator = new OpenAPIGenerator({ schemaConverters });
  const { title, version, description, license, contact, termsOfService } = options;
  const document = await generator.generate(contract, {
    info: {
      title,
      version,
      ...(description === undefined ? {} : { description }),
      ...(termsOfService === undefined ? {} : { termsOfService }),
      ...(contact === undefined ? {} : { contact }),
      ...(license === undefined ? {} : { license }),
    },
    servers: options.servers === undefined ? [{ url: prefix }] : options.servers.map((server) => ({
      ...server,
      url: `${server.url.replace(/\/+$/, "")}${prefix}`,
    })),
    ...(options.tags === undefined ? {} : { tags: [...options.tags] }),
    security: (options.security ?? []).map((requirement) =>
      Object.fromEntries(Object.entries(requirement).map(([name, scopes]) => [name, [...scopes]]))
    ),
    ...(options.securitySchemes === undefined
      ? {}
      : { components: { securitySchemes: { ...options.securitySchemes } } }),
  }) as unknown as OpenAPIDocument;
  _describeErrorResponses(document);
  _amendOperations(document);
  _describeAccess(document, options.defaultAccess ?? "public");
  return document;
}

/** The reason phrases of the success statuses a route may declare. */
const SUCCESS_REASONS: Readonly<Record<string, string>> = {
  "201": "Created",
  "202": "Accepted",
  "203": "Non-Authoritative Information",
  "204": "No Content",
  "205": "Reset Content",
  "206": "Partial Content",
};

/** The answers the service gives a request with a body before any procedure runs. */
const BODY_REFUSALS: readonly { status: number; code: string; when: string }[] = [
  { status: 408, code: "TIMEOUT", when: "The body did not arrive in time" },
  { status: 413, code: "PAYLOAD_TOO_LARGE", when: "The body is larger than the service accepts" },
  { status: 415, code: "UNSUPPORTED_MEDIA_TYPE", when: "The body is not application/json" },
];

interface _Parameter {
  in?: string;
  style?: string;
  explode?: boolean;
  allowEmptyValue?: boolean;
  schema?: { type?: unknown };
}

interface _Operation {
  parameters?: _Parameter[];
  responses?: Record<string, _Response>;
}

/**
 * The methods whose request body the service never reads, so never refuses:
 * the body limit reads every other method's body, whether or not the
 * operation declares one.
 */
const BODILESS_METHODS: ReadonlySet<string> = new Set(["get", "head"]);

/**
 * Makes each operation say what the service does: a query array is sent as
 * repeated `name=value` (one value is an array of one), an empty query value
 * is not allowed unless its schema takes it, a success status other than 200
 * is described by its own reason, and an operation whose method carries a
 * body (every method but GET and HEAD, with a declared body or not)
 * documents the 408, 413 and 415 the service answers before the procedure
 * runs.
 */
function _amendOperations(document: OpenAPIDocument): void {
  for (const operations of Object.values(document.paths ?? {})) {
    for (
      const [method, operation] of Object.entries(operations as Record<string, _Operation>)
    ) {
      for (const parameter of operation.parameters ?? []) {
        if (parameter.in !== "query") continue;
        delete parameter.allowEmptyValue;
        if (parameter.schema?.type === "array" && parameter.style === "deepObject") {
          parameter.style = "form";
          parameter.explode = true;
        }
      }
      const responses = operation.responses ??= {};
      for (const [status, response] of Object.entries(responses)) {
        const reason = SUCCESS_REASONS[status];
        if (reason !== undefined && response.description === "OK") response.description = reason;
      }
      if (BODILESS_METHODS.has(method)) continue;
      for (const { status, code, when } of BODY_REFUSALS) {
        responses[String(status)] ??= {
          description: `${code}: ${when}`,
          content: { "application/json": { schema: _plainErrorSchema(status, code) } },
        };
      }
    }
  }
}

/**
 * Gives each operation that declares no access the security its service's
 * default requires, documents the 401 and 403 of operations that require a
 * caller, and adds the schemes they name.
 */
function _describeAccess(document: OpenAPIDocument, fallback: DefaultAccess): void {
  let guarded = false;
  for (const operations of Object.values(document.paths ?? {})) {
    for (
      const [method, operation] of Object.entries(
        operations as Record<string, _Operation & { security?: unknown[] }>,
      )
    ) {
      if (operation.security === undefined) {
        const required = securityRequirements(requiredAccess(undefined, method, fallback));
        if (required.length > 0) operation.security = required;
      }
      if ((operation.security ?? []).length === 0) continue;
      guarded = true;
      const responses = operation.responses ??= {};
      responses["401"] ??= {
        description: "UNAUTHORIZED: No valid session or service credential",
        content: { "application/json": { schema: _plainErrorSchema(401, "UNAUTHORIZED") } },
      };
      responses["403"] ??= {
        description: "FORBIDDEN: The caller lacks a role or scope the route requires",
        content: { "application/json": { schema: _plainErrorSchema(403, "FORBIDDEN") } },
      };
    }
  }
  if (!guarded) return;
  const components = (document.components ??= {}) as { securitySchemes?: Record<string, unknown> };
  components.securitySchemes = { ...ACCESS_SCHEMES, ...components.securitySchemes };
}

/** The body of an error the service answers itself: `{ defined: false, code, status, message }`. */
function _plainErrorSchema(status: number, code: string): Record<string, unknown> {
  return {
    type: "object",
    properties: {
      defined: { const: false },
      code: { const: code },
      status: { const: status },
      message: { type: "string" },
    },
    required: ["defined", "code", "status", "message"],
  };
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
