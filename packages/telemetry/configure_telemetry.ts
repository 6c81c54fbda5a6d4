import type { Attributes } from "@opentelemetry/api";

/** Options of {@linkcode configureTelemetry}. */
export interface ConfigureTelemetryOptions {
  /**
   * The process's span-name prefix, e.g. `workers`: spans started by
   * `withSpan` and the service's procedure spans are then named
   * `<namespace>.<name>` and carry `service.namespace`. A plugin's
   * processes set it from the plugin's `withTelemetry({ namespace })`.
   * `undefined` removes the prefix.
   * @default {undefined}
   */
  readonly namespace?: string | undefined;
  /**
   * More attributes set on every span `withSpan` starts, e.g. the plugin's
   * declared resource attributes.
   * @default {{}}
   */
  readonly attributes?: Readonly<Record<string, string>> | undefined;
}

/** A namespace: letters, digits, `-`, `_` and `.`, starting with a letter. */
const NAMESPACE_PATTERN = /^[A-Za-z][A-Za-z0-9_.-]{0,62}$/;

let namespace: string | undefined;
let attributes: Attributes = {};

/**
 * Sets how this process labels its spans: a span-name prefix (the
 * namespace) and attributes for every span. Call it once at start-up,
 * before work begins; a later call replaces the earlier settings.
 *
 * @param options The namespace and extra attributes.
 * @throws {TypeError} When the namespace is empty, has spaces, or is longer than 63 characters.
 *
 * @example Prefix the spans of a plugin's processes
 * ```ts
 * import { configureTelemetry, spanName } from "@netscript/telemetry";
 *
 * configureTelemetry({ namespace: "workers" });
 * console.log(spanName("job greet")); // "workers.job greet"
 * configureTelemetry({});
 * ```
 */
export function configureTelemetry(options: ConfigureTelemetryOptions): void {
  const wanted = options.namespace;
  if (wanted !== undefined && !NAMESPACE_PATTERN.test(wanted)) {
    throw new TypeError(
      `Invalid telemetry namespace ${
        JSON.stringify(wanted)
      }: use 1-63 letters, digits, "-", "_" or ".", starting with a letter (e.g. "workers")`,
    );
  }
  namespace = wanted;
  attributes = {
    ...options.attributes,
    ...(wanted === undefined ? {} : { "service.namespace": wanted }),
  };
}

/**
 * The name a span gets in this process: `name` behind the configured
 * namespace (`workers.job greet`), or `name` itself when none is set or
 * `name` already starts with it.
 *
 * @param name The span's own name.
 * @returns The full span name.
 *
 * @example
 * ```ts
 * import { spanName } from "@netscript/telemetry";
 *
 * console.log(spanName("invoice.send")); // "invoice.send" while no namespace is configured
 * ```
 */
export function spanName(name: string): string {
  if (namespace === undefined || name.startsWith(`${namespace}.`)) return name;
  return `${namespace}.${name}`;
}

/**
 * The attributes every span of this process carries: `service.namespace`
 * and the configured extras.
 *
 * @returns The attributes (empty when nothing is configured).
 *
 * @example
 * ```ts
 * import { configureTelemetry, spanAttributes } from "@netscript/telemetry";
 *
 * configureTelemetry({ namespace: "workers" });
 * console.log(spanAttributes()); // { "service.namespace": "workers" }
 * configureTelemetry({});
 * ```
 */
export function spanAttributes(): Attributes {
  return attributes;
}
