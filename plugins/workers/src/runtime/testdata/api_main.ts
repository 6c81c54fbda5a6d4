import { serveWorkersApi } from "../processes.ts";
import { definitions, plugin } from "./definitions.ts";

await serveWorkersApi({ plugin, definitions });
