import { xxHash32 } from "./xxhash32.ts";

/** An endpoint property a manifest expression can name (`EndpointReference.cs` `GetExpression`). */
export type BindingProperty = "url" | "host" | "port" | "targetPort" | "scheme" | "tlsEnabled";

/**
 * The manifest expression for one property of a resource's endpoint.
 *
 * @param resource The resource name.
 * @param endpoint The endpoint name.
 * @param property The property.
 * @returns E.g. `{api.bindings.http.url}`.
 *
 * @example
 * ```ts
 * import { binding } from "./expressions.ts";
 *
 * console.log(binding("postgres", "tcp", "host")); // "{postgres.bindings.tcp.host}"
 * ```
 */
export function binding(resource: string, endpoint: string, property: BindingProperty): string {
  return `{${resource}.bindings.${endpoint}.${property}}`;
}

/**
 * The manifest expression for a resource's connection string.
 *
 * @param resource The resource name.
 * @returns E.g. `{db.connectionString}`.
 *
 * @example
 * ```ts
 * import { connectionString } from "./expressions.ts";
 *
 * console.log(connectionString("db")); // "{db.connectionString}"
 * ```
 */
export function connectionString(resource: string): string {
  return `{${resource}.connectionString}`;
}

/**
 * The manifest expression for a parameter's value, or for its URI-escaped
 * projection (an `annotated.string` resource named `<parameter>-uri-encoded`).
 *
 * @param parameter The parameter's name.
 * @param filter `"uri"` for the URI-escaped projection.
 * @returns E.g. `{postgres-password.value}`.
 *
 * @example
 * ```ts
 * import { parameterValue } from "./expressions.ts";
 *
 * console.log(parameterValue("cache-password", "uri")); // "{cache-password-uri-encoded.value}"
 * ```
 */
export function parameterValue(parameter: string, filter?: "uri"): string {
  return filter === "uri" ? `{${parameter}-uri-encoded.value}` : `{${parameter}.value}`;
}

/**
 * Aspire's `EnvironmentVariableNameEncoder.Encode`: a valid name is kept;
 * otherwise characters other than ASCII letters and digits become `_`, and
 * a leading digit gets a `_` in front. Callers uppercase where Aspire does.
 *
 * @param name A resource, endpoint or service name.
 * @returns The encoded name.
 *
 * @example
 * ```ts
 * import { encodeEnvName } from "./expressions.ts";
 *
 * console.log(encodeEnvName("hello-api")); // "hello_api"
 * ```
 */
export function encodeEnvName(name: string): string {
  if (name === "" || /^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return name;
  return `${/^[0-9]/.test(name) ? "_" : ""}${name.replace(/[^A-Za-z0-9]/g, "_")}`;
}

/**
 * .NET's `Uri.EscapeDataString`, which Aspire applies to literal values
 * formatted with `:uri` (e.g. a database name inside a URI): everything but
 * RFC 3986 unreserved characters is percent-encoded.
 *
 * @param value The text.
 * @returns The escaped text.
 *
 * @example
 * ```ts
 * import { escapeUriData } from "./expressions.ts";
 *
 * console.log(escapeUriData("db#test")); // "db%23test"
 * ```
 */
export function escapeUriData(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * The name Aspire gives a conditional expression in the manifest
 * (`ReferenceExpression.GenerateConditionalName`): `cond-` and the sanitized
 * condition expression, then the xxHash32 of the condition, both branches
 * and the value to match.
 *
 * @param condition The condition's manifest expression.
 * @param whenTrue The expression when the condition matches.
 * @param whenFalse The expression otherwise.
 * @param matchValue The value the condition is compared with.
 * @returns The resource name of the conditional value.
 *
 * @example
 * ```ts
 * import { conditionalName } from "./expressions.ts";
 *
 * console.log(conditionalName("{redis.bindings.tcp.tlsEnabled}", ",ssl=true", "", "True"));
 * // "cond-redis-bindings-tcp-tlsenabled-d148d83a"
 * ```
 */
export function conditionalName(
  condition: string,
  whenTrue: string,
  whenFalse: string,
  matchValue: string,
): string {
  const sanitized = condition.replace(/[^\p{L}\p{Nd}]+/gu, "-").replace(/^-+|-+$/g, "")
    .toLowerCase();
  const hash = xxHash32(new TextEncoder().encode(condition + whenTrue + whenFalse + matchValue));
  return `${sanitized.length > 0 ? `cond-${sanitized}` : "cond-expr"}-${hash}`;
}

/**
 * The resources a manifest value refers to: the first segment of each `{…}`.
 *
 * @param value A manifest string.
 * @returns The resource names, in order of appearance.
 *
 * @example
 * ```ts
 * import { referencedResources } from "./expressions.ts";
 *
 * console.log(referencedResources("{pg.connectionString};Database=app")); // ["pg"]
 * ```
 */
export function referencedResources(value: string): string[] {
  return [...value.matchAll(/\{([A-Za-z][A-Za-z0-9-]*)\.[A-Za-z0-9.]+\}/g)].map((m) => m[1]!);
}
