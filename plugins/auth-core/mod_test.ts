import { deepEqual } from "node:assert/strict";
import { exportNames } from "../../tests/support/exports.ts";

Deno.test("@netscript/plugin-auth-core exports exactly its documented surface", async () => {
  deepEqual(await exportNames(new URL("./mod.ts", import.meta.url)), [
    "AUTH_CAPABILITIES",
    "AUTH_ERROR_CODES",
    "AuthBackendOperationUnsupportedError",
    "type AuthBackendPort",
    "type AuthCapability",
    "type AuthErrorCode",
    "type AuthSession",
    "type AuthUser",
    "clearCookie",
    "cookieName",
    "cookieScope",
    "type CookieScope",
    "readCookie",
    "type RefreshedSession",
    "safeRedirectPath",
    "setCookie",
    "type SignInOptions",
  ]);
});
