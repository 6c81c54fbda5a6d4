import { binding, connectionString, encodeEnvName } from "./expressions.ts";
import type { RecordedEndpoint, RecordedResource } from "./model.ts";

/** One endpoint of one resource, as an `EndpointReference` points at it. */
export interface EndpointTarget {
  /** The resource. */
  readonly resource: RecordedResource;
  /** The endpoint's name. */
  readonly endpoint: string;
}

/** The options of `withReference`. */
export interface ReferenceOptions {
  /** Overrides the source's name in the connection string variables. */
  readonly connectionName?: string;
  /** The connection string may be missing at run time. */
  readonly optional?: boolean;
  /** The service name of a URI reference. */
  readonly name?: string;
}

/**
 * Whether a resource has a connection string: servers and databases.
 *
 * @param resource The resource.
 * @returns `true` for servers and databases.
 */
export function hasConnectionString(resource: RecordedResource): boolean {
  return resource.shape.kind !== "executable";
}

/**
 * The connection properties a consumer receives for a resource, in Aspire's
 * order: a database's properties are merged over its server's, and those
 * added with `withConnectionProperty` come last.
 *
 * @param resource A server or a database.
 * @returns The properties by name.
 */
export function connectionProperties(resource: RecordedResource): Map<string, string> {
  const shape = resource.shape;
  const properties = new Map<string, string>();
  if (shape.kind === "server") {
    for (const [key, value] of shape.integration.properties(resource.name)) {
      properties.set(key, value);
    }
  } else if (shape.kind === "database") {
    const server = shape.server;
    if (server.shape.kind !== "server") throw new Error(`${server.name} is not a server`);
    const own = server.shape.integration.database!(server.name, shape.databaseName).properties;
    for (const [key, value] of server.shape.integration.properties(server.name)) {
      properties.set(key, value);
    }
    for (const [key, value] of own) properties.set(key, value);
  }
  for (const [key, value] of resource.connectionProperties) properties.set(key, value);
  return properties;
}

/**
 * Applies `target.withReference(source, options)` the way Aspire 13.5's
 * `withReference` dispatcher does (`ResourceBuilderExtensions.cs`):
 *
 * - a resource with a connection string sets `ConnectionStrings__<name>` and
 *   each connection property as `<NAME>_<PROPERTY>` (`connectionName` replaces the name);
 * - an endpoint sets `<NAME>_<ENDPOINT>` and `services__<name>__<scheme>__<n>` to its URL;
 * - a URI (with the `name` option) sets `services__<name>__default__0` and `<name>`.
 *
 * @param target The resource receiving the variables.
 * @param source The referenced resource, endpoint or URI.
 * @param options The reference's options.
 * @throws {Error} For the combinations Aspire rejects.
 */
export function applyReference(
  target: RecordedResource,
  source: RecordedResource | EndpointTarget | string,
  options: ReferenceOptions,
): void {
  if (typeof source === "string") return _uriReference(target, source, options);
  if ("endpoint" in source) {
    if (options.connectionName !== undefined || options.optional || options.name !== undefined) {
      throw new Error(
        "Endpoint references do not support connectionName, optional, or name options.",
      );
    }
    return _endpointReference(target, source);
  }
  if (options.name !== undefined) {
    throw new Error(
      "Named service references are only supported for resources with service discovery.",
    );
  }
  if (!hasConnectionString(source)) {
    throw new Error(
      `The resource '${source.name}' can't be used with withReference because it doesn't provide a connection string, service discovery, or a custom withReference implementation. Reference one of its endpoints instead: getEndpoint("http").`,
    );
  }
  const name = options.connectionName ?? source.name;
  target.env.set(`ConnectionStrings__${name}`, connectionString(source.name));
  const prefix = name === "" ? "" : `${encodeEnvName(name).toUpperCase()}_`;
  for (const [key, value] of connectionProperties(source)) {
    target.env.set(`${prefix}${key.toUpperCase()}`, value);
  }
}

/**
 * Sets the variables for one endpoint reference: `<NAME>_<ENDPOINT>` and the
 * next free `services__<name>__<scheme or endpoint name>__<n>`, both
 * `{<name>.bindings.<endpoint>.url}`. The endpoint must exist by the time the
 * manifest is written.
 */
function _endpointReference(target: RecordedResource, source: EndpointTarget): void {
  const url = binding(source.resource.name, source.endpoint, "url");
  const endpointKey = encodeEnvName(source.endpoint).toUpperCase();
  target.env.set(`${encodeEnvName(source.resource.name.toUpperCase())}_${endpointKey}`, url);
  const declared = findEndpoint(source.resource, source.endpoint);
  const httpNamed = /^https?$/i.test(source.endpoint);
  const schemeKey = httpNamed ? (declared?.scheme ?? source.endpoint) : source.endpoint;
  let index = 0;
  while (target.env.has(`services__${source.resource.name}__${schemeKey}__${index}`)) index++;
  target.env.set(`services__${source.resource.name}__${schemeKey}__${index}`, url);
  target.endpointUses.push(source);
}

/**
 * A resource's endpoint by name (ignoring case, as Aspire does).
 *
 * @param resource The resource.
 * @param name The endpoint's name.
 * @returns The endpoint, if declared.
 */
export function findEndpoint(
  resource: RecordedResource,
  name: string,
): RecordedEndpoint | undefined {
  return resource.endpoints.find((e) => e.name.toLowerCase() === name.toLowerCase());
}

function _uriReference(target: RecordedResource, source: string, options: ReferenceOptions): void {
  if (options.name === undefined || options.connectionName !== undefined || options.optional) {
    throw new Error(
      "URI references require the name option and do not support connectionName or optional.",
    );
  }
  let uri: URL;
  try {
    uri = new URL(source);
  } catch {
    throw new Error(
      `The URI for service reference '${options.name}' is invalid while configuring target resource '${target.name}': it must be absolute.`,
    );
  }
  if (uri.hash !== "" || uri.search !== "") {
    throw new Error(
      `The URI for service reference '${options.name}' is invalid while configuring target resource '${target.name}': it cannot contain a ${
        uri.hash !== "" ? "fragment" : "query string"
      }.`,
    );
  }
  target.env.set(`services__${options.name}__default__0`, uri.href);
  target.env.set(encodeEnvName(options.name), uri.href);
}
