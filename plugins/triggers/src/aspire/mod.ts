/**
 * The triggers plugin's Aspire contribution: `triggers-api` and
 * `trigger-processor`, as the manifest declares them.
 *
 * @module
 */
import { defineAspireContribution } from "@netscript/aspire";

/** Adds `triggers-api` and `trigger-processor` to the AppHost. */
const contribution: ReturnType<typeof defineAspireContribution> = defineAspireContribution(
  (app) => {
    app.addDenoService("triggers-api");
    app.addDenoBackground("trigger-processor");
  },
);

export default contribution;
