/**
 * The streams plugin's Aspire contribution: `streams-api`, as the manifest
 * declares it.
 *
 * @module
 */
import { defineAspireContribution } from "@netscript/aspire";

/** Adds `streams-api` to the AppHost. */
const contribution: ReturnType<typeof defineAspireContribution> = defineAspireContribution(
  (app) => {
    app.addDenoService("streams-api");
  },
);

export default contribution;
