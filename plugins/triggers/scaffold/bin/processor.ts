import { runTriggerProcessor } from "@netscript/plugin-triggers";
import { definitions, plugin } from "../../../.netscript/definitions/triggers.ts";
import * as workers from "../../../.netscript/definitions/workers.ts";

await runTriggerProcessor({ plugin, definitions, workers });
