import { serveSagasApi } from "@netscript/plugin-sagas";
import { definitions, plugin } from "../../../../.netscript/definitions/sagas.ts";

await serveSagasApi({ plugin, definitions });
