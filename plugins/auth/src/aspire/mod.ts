/**
 * The auth plugin's Aspire contribution: `auth-api`, as the manifest
 * declares it.
 *
 * @module
 */
import { defineAspireContribution } from "@netscript/aspire";

/** Adds `auth-api` to the AppHost. */
const contribution: ReturnType<typeof defineAspireContribution> = defineAspireContribution(
  (app) => {
    app.addDenoService("auth-api");
  },
);

export default contribution;
