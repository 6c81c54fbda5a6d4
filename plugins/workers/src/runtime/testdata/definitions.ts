/**
 * What `netscript registry generate` writes to
 * `.netscript/definitions/workers.ts`, for the process tests: the plugin
 * with its real `workers` topic schema, and one job.
 *
 * @module
 */
import { definitionFiles, type PluginRuntime } from "@netscript/plugin";
import schema from "../../../scaffold/runtime/workers.schema.json" with { type: "json" };
import jobs_0 from "./jobs/nap.ts";

export const plugin: PluginRuntime = {
  name: "@netscript/plugin-workers",
  version: "0.1.0",
  type: "background-processor",
  slug: "workers",
  envPrefix: "WORKERS",
  telemetry: { namespace: "workers" },
  configTopics: [{ name: "workers", schema }],
  streamTopics: [],
  workspaceStreamTopics: [],
};

export const jobs = definitionFiles({ kind: "job", builder: "defineJob" }, [
  { file: "jobs/nap.ts", definition: jobs_0 },
]);

export const schedules = definitionFiles({ kind: "schedule", builder: "defineSchedule" }, []);

export const definitions = { jobs, schedules };
