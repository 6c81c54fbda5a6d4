import { runCombinedProcess } from "@netscript/plugin-workers";
import { jobs, schedules } from "../../../.netscript/definitions.ts";

await runCombinedProcess({ jobs, schedules });
