import { deepEqual } from "node:assert/strict";
import { exportNames } from "../../tests/support/exports.ts";

Deno.test("@netscript/sdk exports exactly its documented surface", async () => {
  deepEqual(await exportNames(new URL("./mod.ts", import.meta.url)), [
    "type DefinedServices",
    "defineServices",
    "type DefineServicesOptions",
    "encodeEnvironmentName",
    "type EnvironmentReader",
    "isDefinedError",
    "resolveServiceUrl",
    "type ResolveServiceUrlOptions",
    "safe",
    "SDK_ERROR_CODES",
    "type SdkErrorCode",
    "type ServiceClients",
    "type ServiceDefinition",
    "serviceUrlVariables",
  ]);
});
