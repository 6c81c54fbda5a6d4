import { deepEqual } from "node:assert/strict";
import { exportNames } from "../../../../tests/support/exports.ts";

Deno.test("@netscript/plugin-triggers exports exactly its documented surface", async () => {
  deepEqual(await exportNames(new URL("./mod.ts", import.meta.url)), [
    "createTriggersService",
    "defineCron",
    "defineEvent",
    "defineTriggersPlugin",
    "defineWebhook",
    "DeliverySchema",
    "github",
    "hmac",
    "openDeliveryStore",
    "type OpenedDeliveryStore",
    "runTriggerProcessor",
    "serveTriggersApi",
    "standardWebhooks",
    "stripe",
    "type TriggerProcessorOptions",
    "TRIGGERS_CONTRACT_VERSIONS",
    "TRIGGERS_ERROR_CODES",
    "TRIGGERS_PLUGIN_ERROR_CODES",
    "type TriggersConfig",
    "triggersContract",
    "type TriggersContract",
    "type TriggersDefinitions",
    "type TriggersErrorCode",
    "triggersManifest",
    "type TriggersManifest",
    "type TriggersPluginErrorCode",
    "type TriggersPluginOptions",
    "type TriggersProcessOptions",
    "type TriggersServiceOptions",
    "unverified",
  ]);
});
