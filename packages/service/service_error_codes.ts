/**
 * The error codes of `@netscript/service`, as a typed catalog. A handler's
 * store error (`STORE_UNAVAILABLE`, `SCHEMA_MISSING` of
 * `@netscript/contracts/errors`) is not raised here: the service answers it
 * `503 SERVICE_UNAVAILABLE`.
 *
 * @module
 */

/**
 * Every code `@netscript/service` raises, with what it means and what to do.
 *
 * @example
 * ```ts
 * import { SERVICE_ERROR_CODES } from "@netscript/service";
 *
 * console.log(SERVICE_ERROR_CODES.SERVICE_INVALID_PORT);
 * ```
 */
export const SERVICE_ERROR_CODES = {
  SERVICE_RESERVED_ROUTE:
    "createService() found a procedure whose REST path is one the service serves itself (/api/rpc…, /api/docs…, /api/openapi.json, or /api/<version>… of a version it serves; a procedure without .route() is served at its key). Give the procedure another .route({ path }). Also raised for a mount whose prefix is malformed, lies under /api/, shadows /health or /alive, or covers another mount: give it a prefix of its own.",
  SERVICE_INVALID_VERSION:
    'createService() got an API version name that is not "v" and a number (v1, v2), or the same name twice (in versions and as currentVersion); or service.openapi(version) was asked for a version the service does not serve. Name versions v1, v2, … once each, and ask for one of them.',
  SERVICE_AUTH_UNAVAILABLE:
    "A guarded service could not check a session with auth-api (not reachable, timed out, or answered an error). Requests that need a caller are answered 503 SERVICE_UNAVAILABLE meanwhile; start auth-api or check its log.",
  SERVICE_INVALID_PORT:
    "service.serve() read a PORT that is not an integer from 0 to 65535. Fix or unset PORT (unset, the service uses 3000).",
} as const;

/** One of {@linkcode SERVICE_ERROR_CODES}. */
export type ServiceErrorCode = keyof typeof SERVICE_ERROR_CODES;
