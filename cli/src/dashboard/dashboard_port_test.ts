import { equal } from "node:assert/strict";
import { RESERVED_PORTS } from "@netscript/plugin";
import { DEFAULT_DASHBOARD_PORT } from "./dashboard_server.ts";

Deno.test("no plugin service may ask for the dashboard's default port", () => {
  equal(RESERVED_PORTS.get(DEFAULT_DASHBOARD_PORT), "the netscript dev dashboard");
});
