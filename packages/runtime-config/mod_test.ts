import { deepEqual } from "node:assert/strict";
import { exportNames } from "../../tests/support/exports.ts";

Deno.test("@netscript/runtime-config exports exactly its documented surface", async () => {
  deepEqual(await exportNames(new URL("./mod.ts", import.meta.url)), [
    "compileJsonSchema",
    "type CompileJsonSchemaOptions",
    "CONFIG_ERROR_CODES",
    "CONFIG_TOPIC_NAME_PATTERN",
    "type ConfigErrorCode",
    "type ConfigIssue",
    "type ConfigListener",
    "type ConfigSnapshot",
    "type ConfigStore",
    "type ConfigTopic",
    "type ConfigValidation",
    "type ConfigWatchOptions",
    "type ConfigWriteOptions",
    "createConfigTopic",
    "type CreateConfigTopicOptions",
    "type JsonSchemaObject",
    "type StoredConfig",
  ]);
});
