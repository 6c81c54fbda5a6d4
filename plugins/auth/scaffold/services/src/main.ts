import { serveAuthApi } from "@netscript/plugin-auth";
import { plugin } from "../../../../.netscript/definitions/auth.ts";

await serveAuthApi({ plugin });
