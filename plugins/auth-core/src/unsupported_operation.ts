/**
 * The error a backend throws for an operation outside its capabilities.
 *
 * @module
 */
import { NetScriptError } from "@netscript/contracts/errors";
import type { AuthErrorCode } from "./auth_error_codes.ts";
import type { AuthCapability } from "./ports/auth_backend.ts";

/**
 * Thrown when an auth backend is asked for something it cannot do, such
 * as an interactive sign-in from a backend that only validates sessions.
 * Its code is `AUTH_OPERATION_UNSUPPORTED`; `details` names the backend,
 * the operation and the capability it lacks.
 *
 * @example
 * ```ts
 * import { AuthBackendOperationUnsupportedError } from "@netscript/plugin-auth-core";
 *
 * const error = new AuthBackendOperationUnsupportedError("workos", "signIn", "interactive-sign-in");
 * console.log(error.code, error.details.backend); // "AUTH_OPERATION_UNSUPPORTED" "workos"
 * ```
 */
export class AuthBackendOperationUnsupportedError extends NetScriptError<AuthErrorCode> {
  /**
   * Creates the error.
   *
   * @param backend The backend's name.
   * @param operation The method asked for, e.g. `signIn`.
   * @param capability The capability it needs.
   */
  constructor(backend: string, operation: string, capability: AuthCapability) {
    super(
      "AUTH_OPERATION_UNSUPPORTED",
      `The ${backend} auth backend cannot ${operation}(): it has no ${capability} capability. ${
        capability === "interactive-sign-in"
          ? "Users sign in through the provider's own flow; select the kv-oauth backend for a sign-in run by auth-api"
          : "Use a backend that has it"
      }`,
      { details: { backend, operation, capability } },
    );
    this.name = "AuthBackendOperationUnsupportedError";
  }
}
