import { deepEqual } from "node:assert/strict";
import { exportNames } from "../../../../tests/support/exports.ts";

Deno.test("@netscript/plugin-auth exports exactly its documented surface", async () => {
  deepEqual(await exportNames(new URL("./mod.ts", import.meta.url)), [
    "AUTH_BACKENDS",
    "AUTH_CAPABILITIES",
    "AUTH_CONTRACT_VERSIONS",
    "AUTH_ERROR_CODES",
    "AUTH_FLOW_PATH",
    "AUTH_PLUGIN_ERROR_CODES",
    "type AuthApiOptions",
    "type AuthBackendName",
    "AuthBackendOperationUnsupportedError",
    "type AuthBackendPort",
    "type AuthCapability",
    "type AuthErrorCode",
    "authManifest",
    "type AuthManifest",
    "type AuthPluginErrorCode",
    "type AuthPluginOptions",
    "type AuthService",
    "type AuthServiceOptions",
    "type AuthSession",
    "type AuthUser",
    "createAuthService",
    "defineAuthPlugin",
    "openAuthBackend",
    "serveAuthApi",
  ]);
});
