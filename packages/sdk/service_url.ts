import { NetScriptError } from "@netscript/contracts";
import type { SdkErrorCode } from "./sdk_error_codes.ts";

/** Reads one environment variable; `undefined` when unset. */
export type EnvironmentReader = (name: string) => string | undefined;

/**
 * Encodes a resource name the way Aspire does for environment variable
 * names: characters outside `[A-Za-z0-9_]` become `_`, a leading digit gets a
 * `_` prefix, and the result is uppercased.
 *
 * @param name A resource name such as `workers-api`.
 * @returns The encoded name, e.g. `WORKERS_API`.
 */
export function encodeEnvironmentName(name: string): string {
  const replaced = name.replace(/[^A-Za-z0-9_]/g, "_");
  return (/^[0-9]/.test(replaced) ? `_${replaced}` : replaced).toUpperCase();
}

/**
 * The variables that may hold a service's base URL, in the order they are
 * tried: Aspire's .NET service discovery form (HTTPS, then HTTP), then its
 * endpoint form (HTTPS, then HTTP).
 *
 * @param service The service's resource name.
 * @returns The variable names.
 */
export function serviceUrlVariables(service: string): string[] {
  const encoded = encodeEnvironmentName(service);
  return [
    `services__${service}__https__0`,
    `services__${service}__http__0`,
    `${encoded}_HTTPS`,
    `${encoded}_HTTP`,
  ];
}

/**
 * Reads the process environment, treating a variable this process may not
 * read as unset (the caller reports which ones were not readable).
 *
 * @param name The variable.
 * @returns Its value, or `undefined`.
 */
export function processEnvironment(name: string): string | undefined {
  return _mayRead(name) ? Deno.env.get(name) : undefined;
}

function _mayRead(name: string): boolean {
  return Deno.permissions.querySync({ name: "env", variable: name }).state === "granted";
}

/** Options of {@linkcode resolveServiceUrl}. */
export interface ResolveServiceUrlOptions {
  /** A URL given in code; it always wins. */
  url?: string | URL | undefined;
  /**
   * How to read variables.
   * @default {the process environment}
   */
  env?: EnvironmentReader;
}

/**
 * Finds a service's base URL: the explicit one, else the first discovery
 * variable that is set.
 *
 * @param service The service's resource name.
 * @param options The explicit URL and how to read variables.
 * @returns The base URL, without a trailing slash.
 * @throws {NetScriptError} `SERVICE_URL_NOT_FOUND` naming every variable tried,
 * or `SERVICE_URL_INVALID` when the found value is not an http(s) URL.
 *
 * @example
 * ```ts
 * import { resolveServiceUrl } from "@netscript/sdk";
 *
 * const env = { services__users__http__0: "http://localhost:8091" };
 * console.log(resolveServiceUrl("users", { env: (name) => env[name as keyof typeof env] }));
 * ```
 */
export function resolveServiceUrl(
  service: string,
  options: ResolveServiceUrlOptions = {},
): string {
  const env = options.env ?? processEnvironment;
  const variables = serviceUrlVariables(service);
  let source = "the url option";
  let raw = options.url?.toString();
  for (const variable of variables) {
    if (raw !== undefined) break;
    const value = env(variable);
    if (value !== undefined && value !== "") {
      raw = value;
      source = variable;
    }
  }
  if (raw === undefined) {
    const unreadable = env === processEnvironment ? variables.filter((v) => !_mayRead(v)) : [];
    const hint = unreadable.length > 0
      ? `; this process may not read ${unreadable.join(", ")} (grant --allow-env)`
      : "";
    throw new NetScriptError<SdkErrorCode>(
      "SERVICE_URL_NOT_FOUND",
      `Cannot find the URL of service "${service}": pass url in defineServices() or set one of ${
        variables.join(", ")
      }${hint}`,
      { details: { service, variables } },
    );
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    url = new URL("invalid:");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new NetScriptError<SdkErrorCode>(
      "SERVICE_URL_INVALID",
      `Cannot use "${raw}" from ${source} as the URL of service "${service}": it must be an http or https URL`,
      { details: { service, source, value: raw } },
    );
  }
  return url.href.replace(/\/+$/, "");
}
