import { deepEqual } from "node:assert/strict";
import { exportNames } from "../../tests/support/exports.ts";

Deno.test("@netscript/auth-kv-oauth exports exactly its documented surface", async () => {
  deepEqual(await exportNames(new URL("./mod.ts", import.meta.url)), [
    "createKvOAuthBackend",
    "DEFAULT_AUTH_KV_PATH",
    "type KvOAuthBackendOptions",
    "openKvOAuthBackend",
    "type OpenKvOAuthBackendOptions",
  ]);
});
