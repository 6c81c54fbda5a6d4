import { runCombinedProcess } from "@netscript/plugin-workers";
import { definitions, plugin } from "../../../.netscript/definitions/workers.ts";

await runCombinedProcess({ plugin, definitions });
