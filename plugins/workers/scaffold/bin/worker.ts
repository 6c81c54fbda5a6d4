import { runWorkerProcess } from "@netscript/plugin-workers";
import { jobs } from "../../../.netscript/definitions.ts";

await runWorkerProcess({ jobs });
