/**
 * NetScript's workers plugin: background jobs and schedules. Define a job
 * per file under `jobs/` and a schedule per file under `schedules/`;
 * `workers-api` (port 8091) enqueues and inspects them, and the worker and
 * scheduler processes run them on Postgres, Deno KV or Redis. The
 * processes stand on `@netscript/runtime`: settings, signals, the store's
 * selection and the `workers` config topic, which a running worker follows.
 *
 * @example
 * ```ts
 * // jobs/send_welcome_email.ts
 * import { defineJob } from "@netscript/plugin-workers";
 * import { z } from "zod";
 *
 * export default defineJob({
 *   name: "send-welcome-email",
 *   input: z.object({ to: z.email() }),
 *   retry: { attempts: 5 },
 *   handler: ({ to }, { logger }) => logger.info("welcome", { to }),
 * });
 * ```
 *
 * @module
 */

export {
  createJobClient,
  defineJob,
  defineSchedule,
  type EnqueueOptions,
  type JobClient,
  type JobContext,
  type JobDefinition,
  type JobRecord,
  type JobState,
  type RetryPolicy,
  type ScheduleDefinition,
} from "@netscript/plugin-workers-core";
export { type JobSchema, type WorkersContract, workersContract } from "../../contracts/v1/mod.ts";
export {
  defineWorkersPlugin,
  type WorkersManifest,
  workersManifest,
  type WorkersPluginOptions,
} from "../manifest.ts";
export { loadDefinitions, type WorkersDefinitions } from "../runtime/definitions.ts";
export {
  openWorkersClient,
  runCombinedProcess,
  runSchedulerProcess,
  runWorkerProcess,
  serveWorkersApi,
  type WorkersClient,
  type WorkersConfig,
  type WorkersProcessOptions,
} from "../runtime/processes.ts";
export {
  DEFAULT_KV_PATH,
  type JobStore,
  type JobStoreKind,
  openJobStore,
  type OpenJobStoreOptions,
} from "../runtime/store.ts";
export { createWorkersService, type WorkersServiceOptions } from "../service/workers_service.ts";
export { WORKERS_ERROR_CODES, type WorkersErrorCode } from "../workers_error_codes.ts";
