import { deepEqual } from "node:assert/strict";
import { exportNames } from "../tests/support/exports.ts";

Deno.test("@netscript/aspire exports exactly its documented surface", async () => {
  deepEqual(await exportNames(new URL("./mod.ts", import.meta.url)), [
    "APPHOST_NPM_PACKAGES",
    "appHostFiles",
    "type AppHostModel",
    "type AppHostProcess",
    "ASPIRE_ERROR_CODES",
    "ASPIRE_VERSION",
    "type AspireAppBuilder",
    "type AspireContribution",
    "type AspireErrorCode",
    "buildAppHostModel",
    "DASHBOARD_PORTS",
    "defineAspireContribution",
    "type DenoResourceOptions",
    "recordContribution",
    "type RecordedCall",
    "renderAppHost",
  ]);
});
