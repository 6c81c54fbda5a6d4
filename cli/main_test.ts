import { deepEqual } from "node:assert/strict";
import { exportNames } from "../tests/support/exports.ts";

Deno.test("@netscript/cli exports exactly its documented surface", async () => {
  deepEqual(await exportNames(new URL("./main.ts", import.meta.url)), [
    "CLI_ERROR_CODES",
    "type CliErrorCode",
    "runCli",
    "type RunCliOptions",
    "type Streams",
  ]);
});
