import { runSchedulerProcess } from "@netscript/plugin-workers";
import { definitions, plugin } from "../../../.netscript/definitions/workers.ts";

await runSchedulerProcess({ plugin, definitions });
