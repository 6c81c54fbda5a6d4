import { serveTriggersApi } from "@netscript/plugin-triggers";
import { definitions, plugin } from "../../../../.netscript/definitions/triggers.ts";

await serveTriggersApi({ plugin, definitions });
