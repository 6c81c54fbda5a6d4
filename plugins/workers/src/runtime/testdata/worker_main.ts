import { runWorkerProcess } from "../processes.ts";
import { definitions, plugin } from "./definitions.ts";

await runWorkerProcess({ plugin, definitions });
