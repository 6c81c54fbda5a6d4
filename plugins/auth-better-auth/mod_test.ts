import { deepEqual } from "node:assert/strict";
import { exportNames } from "../../tests/support/exports.ts";

Deno.test("@netscript/auth-better-auth exports exactly its documented surface", async () => {
  deepEqual(await exportNames(new URL("./mod.ts", import.meta.url)), [
    "type BetterAuthDatabase",
    "createBetterAuthBackend",
    "type CreateBetterAuthBackendOptions",
    "openBetterAuthBackend",
    "type OpenBetterAuthBackendOptions",
  ]);
});
