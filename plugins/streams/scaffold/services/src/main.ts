import { serveStreamsApi } from "@netscript/plugin-streams";
import { plugin } from "../../../../.netscript/definitions/streams.ts";

await serveStreamsApi({ plugin });
