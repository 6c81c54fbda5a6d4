/**
 * The error codes of `@netscript/sdk`, as a typed catalog. They are raised
 * on the calling side, before or instead of an answer; errors a service
 * answers with arrive as the typed errors of its contract.
 *
 * @module
 */

/**
 * Every code `@netscript/sdk` raises, with what it means and what to do.
 *
 * @example
 * ```ts
 * import { SDK_ERROR_CODES } from "@netscript/sdk";
 *
 * console.log(SDK_ERROR_CODES.SERVICE_TIMEOUT);
 * ```
 */
export const SDK_ERROR_CODES = {
  SERVICE_URL_NOT_FOUND:
    "A client call found no URL for the service: no url in defineServices() and none of its discovery variables (services__<name>__https__0, services__<name>__http__0, <NAME>_HTTPS, <NAME>_HTTP) is set, or the process may not read them. Pass url, set one of the variables the message lists, or grant --allow-env for them.",
  SERVICE_URL_INVALID:
    "The URL found for a service (in url or a discovery variable) is not an http or https URL. Fix the value the message quotes.",
  SERVICE_NOT_PERMITTED:
    "The process may not connect to the service's host (--allow-net does not cover it). Grant --allow-net for the host the message names.",
  SERVICE_TIMEOUT:
    "The service did not answer within the call's timeoutMs. Check that the service is healthy, or raise timeoutMs.",
  SERVICE_UNREACHABLE:
    "The service could not be reached at its URL (connection refused, DNS failure, reset). Check that the service runs at the URL the message names.",
} as const;

/** One of {@linkcode SDK_ERROR_CODES}. */
export type SdkErrorCode = keyof typeof SDK_ERROR_CODES;
