import { NetScriptError } from "@netscript/contracts/errors";
import type { DefinitionFile } from "@netscript/plugin";
import {
  isScheduleDefinition,
  type JobDefinition,
  type JobList,
  jobsOf,
  type ScheduleDefinition,
} from "@netscript/plugin-workers-core";

/**
 * The workers' definitions, as the generated `.netscript/definitions/workers.ts`
 * exports them (`definitions`): the files of `jobs/` and `schedules/`, each
 * already checked by `definitionFiles` to default-export the right kind.
 *
 * @template TJobs The job files, with each file's job type.
 */
export interface WorkersDefinitions<TJobs extends JobList = JobList> {
  /** The files under `jobs/`: `{ file, definition }` entries (or the definitions themselves). */
  readonly jobs: TJobs;
  /** The files under `schedules/`. */
  readonly schedules?: readonly DefinitionFile[] | undefined;
}

/**
 * Takes the job and schedule definitions out of their files and checks that
 * every schedule's job is one of the jobs, so a schedule never fires a job
 * no worker runs.
 *
 * @param definitions The generated lists.
 * @returns The definitions.
 * @throws {NetScriptError} `WORKERS_SCHEDULE_JOB_UNKNOWN` (a schedule's job is
 * not under `jobs/`), naming the file.
 * @throws {TypeError} When an entry holds no job or schedule definition (a
 * list not made by the generated module).
 *
 * @example
 * ```ts
 * import { defineJob, defineSchedule, loadDefinitions } from "@netscript/plugin-workers";
 * import { z } from "zod";
 *
 * const report = defineJob({ name: "report", input: z.object({}), handler: () => {} });
 * const nightly = defineSchedule({ name: "nightly", cron: "0 3 * * *", job: report, input: {} });
 * const { jobs, schedules } = loadDefinitions({
 *   jobs: [{ file: "jobs/report.ts", definition: report }],
 *   schedules: [{ file: "schedules/nightly.ts", definition: nightly }],
 * });
 * console.log(jobs.length, schedules.length); // 1 1
 * ```
 */
export function loadDefinitions(
  definitions: WorkersDefinitions,
): { jobs: JobDefinition[]; schedules: ScheduleDefinition[] } {
  const jobs: JobDefinition[] = jobsOf(definitions.jobs);
  const files = definitions.schedules ?? [];
  const schedules = files.map(({ file, definition }) => {
    if (isScheduleDefinition(definition)) return definition;
    throw new TypeError(
      `${file} does not hold a schedule definition; end it with export default defineSchedule({ … }) and regenerate`,
    );
  });
  const names = new Set(jobs.map((job) => job.name));
  for (const [i, schedule] of schedules.entries()) {
    if (names.has(schedule.job.name)) continue;
    const file = files[i]!.file;
    throw new NetScriptError(
      "WORKERS_SCHEDULE_JOB_UNKNOWN",
      `${file} schedules job ${
        JSON.stringify(schedule.job.name)
      }, which no file under jobs/ defines; move the job to its own file under jobs/ and import it from there`,
      { details: { file, job: schedule.job.name } },
    );
  }
  return { jobs, schedules };
}
