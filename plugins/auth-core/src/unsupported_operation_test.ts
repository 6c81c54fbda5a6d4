import { equal, match, ok } from "node:assert/strict";
import { isNetScriptError } from "@netscript/contracts/errors";
import type { AuthErrorCode } from "./auth_error_codes.ts";
import { AuthBackendOperationUnsupportedError } from "./unsupported_operation.ts";

Deno.test("the unsupported-operation error names the backend, the operation and the capability", () => {
  const error = new AuthBackendOperationUnsupportedError("workos", "signIn", "interactive-sign-in");
  ok(isNetScriptError<AuthErrorCode>(error, "AUTH_OPERATION_UNSUPPORTED"));
  ok(error instanceof AuthBackendOperationUnsupportedError);
  equal(error.name, "AuthBackendOperationUnsupportedError");
  equal(error.details.backend, "workos");
  equal(error.details.operation, "signIn");
  equal(error.details.capability, "interactive-sign-in");
  match(error.message, /select the kv-oauth backend/);
});
