/**
 * The sagas plugin's Aspire contribution: `sagas-api` and `saga-runner`,
 * as the manifest declares them.
 *
 * @module
 */
import { defineAspireContribution } from "@netscript/aspire";

/** Adds `sagas-api` and `saga-runner` to the AppHost. */
const contribution: ReturnType<typeof defineAspireContribution> = defineAspireContribution(
  (app) => {
    app.addDenoService("sagas-api");
    app.addDenoBackground("saga-runner");
  },
);

export default contribution;
