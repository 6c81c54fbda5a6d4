import { serveWorkersApi } from "@netscript/plugin-workers";
import { jobs } from "../../../../.netscript/definitions.ts";

await serveWorkersApi({ jobs });
