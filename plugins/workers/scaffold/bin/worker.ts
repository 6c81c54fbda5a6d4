import { runWorkerProcess } from "@netscript/plugin-workers";
import { definitions, plugin } from "../../../.netscript/definitions/workers.ts";

await runWorkerProcess({ plugin, definitions });
