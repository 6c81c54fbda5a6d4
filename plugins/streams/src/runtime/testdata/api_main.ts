import { serveStreamsApi } from "../processes.ts";
import { plugin } from "./definitions.ts";

await serveStreamsApi({ plugin, resource: "streams-api" });
