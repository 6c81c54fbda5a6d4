/**
 * The workers plugin's Aspire contribution: `workers-api` and each
 * processor, as the manifest declares them.
 *
 * @module
 */
import { defineAspireContribution } from "@netscript/aspire";

/** Adds `workers-api` and the three processors to the AppHost. */
const contribution: ReturnType<typeof defineAspireContribution> = defineAspireContribution(
  (app) => {
    app.addDenoService("workers-api");
    app.addDenoBackground("workers-combined");
    app.addDenoBackground("workers-worker");
    app.addDenoBackground("workers-scheduler");
  },
);

export default contribution;
