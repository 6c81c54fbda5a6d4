/**
 * The triggers plugin for NetScript: webhooks verified over their raw
 * bytes, cron ticks, messages of the streams plugin's topics, and each
 * delivery dispatched to a workers job or a saga exactly once. It runs
 * `triggers-api` (webhooks at `/hooks/{name}`, the management API at
 * `/api/…`) and `trigger-processor`; a workspace writes its triggers under
 * `triggers/`, one `export default defineWebhook(…)`, `defineCron(…)` or
 * `defineEvent(…)` per file. It needs the workers plugin, whose jobs the
 * triggers start; the sagas plugin for triggers that start sagas, and the
 * streams plugin for event triggers.
 *
 * @example A webhook that starts a job
 * ```ts
 * // triggers/github_push.ts
 * import { defineWebhook, github } from "@netscript/plugin-triggers";
 * import { defineJob } from "@netscript/plugin-workers";
 * import { z } from "zod";
 *
 * const build = defineJob({ name: "build", input: z.object({ sha: z.string() }), handler: () => {} });
 *
 * export default defineWebhook({
 *   name: "github-push",
 *   verify: github({ secretEnv: "WEBHOOK_GITHUB_SECRET" }),
 *   input: z.object({ after: z.string() }),
 *   dispatch: (event) => ({ job: build, input: { sha: event.payload.after } }),
 * });
 * ```
 *
 * @module
 */

export {
  defineCron,
  defineEvent,
  defineWebhook,
  github,
  hmac,
  standardWebhooks,
  stripe,
  TRIGGERS_ERROR_CODES,
  type TriggersErrorCode,
  unverified,
} from "@netscript/plugin-triggers-core";
export { DeliverySchema, type TriggersContract, triggersContract } from "../../contracts/v1/mod.ts";
export {
  defineTriggersPlugin,
  TRIGGERS_CONTRACT_VERSIONS,
  type TriggersManifest,
  triggersManifest,
  type TriggersPluginOptions,
} from "../manifest.ts";
export {
  runTriggerProcessor,
  serveTriggersApi,
  type TriggerProcessorOptions,
  type TriggersConfig,
  type TriggersDefinitions,
  type TriggersProcessOptions,
} from "../runtime/processes.ts";
export { openDeliveryStore, type OpenedDeliveryStore } from "../runtime/store.ts";
export { createTriggersService, type TriggersServiceOptions } from "../service/triggers_service.ts";
export {
  TRIGGERS_PLUGIN_ERROR_CODES,
  type TriggersPluginErrorCode,
} from "../triggers_error_codes.ts";
