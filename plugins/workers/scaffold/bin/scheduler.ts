import { runSchedulerProcess } from "@netscript/plugin-workers";
import { jobs, schedules } from "../../../.netscript/definitions.ts";

await runSchedulerProcess({ jobs, schedules });
