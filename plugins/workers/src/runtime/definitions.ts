import { NetScriptError } from "@netscript/contracts/errors";
import {
  isJobDefinition,
  isScheduleDefinition,
  type JobDefinition,
  type ScheduleDefinition,
} from "@netscript/plugin-workers-core";

/** A definition file as `.netscript/definitions.ts` lists it. */
export interface DefinitionFile {
  /** The file, relative to the workspace root. */
  readonly file: string;
  /** What it default-exports. */
  readonly definition: unknown;
}

/** The files of `jobs/` and `schedules/`, from `.netscript/definitions.ts`. */
export interface WorkspaceDefinitions {
  /** The files under `jobs/`. */
  readonly jobs: readonly DefinitionFile[];
  /** The files under `schedules/`. */
  readonly schedules?: readonly DefinitionFile[] | undefined;
}

/**
 * Checks that every file under `jobs/` default-exports a `defineJob(…)`,
 * every file under `schedules/` a `defineSchedule(…)`, and that every
 * schedule's job is one of the jobs.
 *
 * @param definitions The generated lists.
 * @returns The definitions.
 * @throws {NetScriptError} `WORKERS_NOT_A_JOB`, `WORKERS_NOT_A_SCHEDULE` or
 * `WORKERS_SCHEDULE_JOB_UNKNOWN` (a schedule's job is not under `jobs/`), naming the file.
 */
export function loadDefinitions(
  definitions: WorkspaceDefinitions,
): { jobs: JobDefinition[]; schedules: ScheduleDefinition[] } {
  const jobs = definitions.jobs.map(({ file, definition }) => {
    if (isJobDefinition(definition)) return definition;
    throw new NetScriptError(
      "WORKERS_NOT_A_JOB",
      `${file} does not default-export a job; end it with export default defineJob({ … })`,
      { details: { file } },
    );
  });
  const schedules = (definitions.schedules ?? []).map(({ file, definition }) => {
    if (isScheduleDefinition(definition)) return definition;
    throw new NetScriptError(
      "WORKERS_NOT_A_SCHEDULE",
      `${file} does not default-export a schedule; end it with export default defineSchedule({ … })`,
      { details: { file } },
    );
  });
  const names = new Set(jobs.map((job) => job.name));
  for (const [i, schedule] of schedules.entries()) {
    if (!names.has(schedule.job.name)) {
      const file = definitions.schedules![i]!.file;
      throw new NetScriptError(
        "WORKERS_SCHEDULE_JOB_UNKNOWN",
        `${file} schedules job ${
          JSON.stringify(schedule.job.name)
        }, which no file under jobs/ defines; move the job to its own file under jobs/ and import it from there`,
        { details: { file, job: schedule.job.name } },
      );
    }
  }
  return { jobs, schedules };
}
