import { runSagaRunner } from "@netscript/plugin-sagas";
import { definitions, plugin } from "../../../.netscript/definitions/sagas.ts";
import * as workers from "../../../.netscript/definitions/workers.ts";

await runSagaRunner({ plugin, definitions, workers });
