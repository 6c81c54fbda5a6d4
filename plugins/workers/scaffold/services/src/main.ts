import { serveWorkersApi } from "@netscript/plugin-workers";
import { definitions, plugin } from "../../../../.netscript/definitions/workers.ts";

await serveWorkersApi({ plugin, definitions });
