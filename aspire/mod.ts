/**
 * NetScript's Aspire AppHost. `netscript aspire generate` turns the
 * workspace's resource graph into `aspire/apphost.mts`: the data stores as
 * Aspire containers (or files), and every service and background processor
 * as its own `deno run` with its permission flags, health check, OTLP/HTTP
 * telemetry, references and waits. Plugins adjust their own resources with
 * a contribution module built on {@linkcode defineAspireContribution}.
 *
 * @example
 * ```ts
 * import { defineAspireContribution } from "@netscript/aspire";
 *
 * export default defineAspireContribution((app) => {
 *   app.addDenoService("workers-api");
 *   app.addDenoBackground("workers-worker", { env: { WORKERS_POLL_MS: "250" } });
 * });
 * ```
 *
 * @module
 */

export { appHostFiles } from "./app_host_files.ts";
export { ASPIRE_ERROR_CODES, type AspireErrorCode } from "./aspire_error_codes.ts";
export { type AppHostModel, type AppHostProcess, buildAppHostModel } from "./app_host_model.ts";
export {
  type AspireAppBuilder,
  type AspireContribution,
  defineAspireContribution,
  type DenoResourceOptions,
  recordContribution,
  type RecordedCall,
} from "./contribution.ts";
export { renderAppHost } from "./render_app_host.ts";
export { APPHOST_NPM_PACKAGES, ASPIRE_VERSION, DASHBOARD_PORTS } from "./versions.ts";
