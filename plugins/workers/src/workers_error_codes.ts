/**
 * The error codes of `@netscript/plugin-workers`, as a typed catalog. The
 * plugin also raises the codes of `@netscript/plugin-workers-core`
 * (`WORKERS_CORE_ERROR_CODES`: an unknown job, an invalid input, …) and of
 * the kit its processes run on (`RUNTIME_ERROR_CODES` of
 * `@netscript/runtime`, the store codes).
 *
 * @module
 */

/**
 * Every code of its own `@netscript/plugin-workers` raises, with what it
 * means and what to do.
 *
 * @example
 * ```ts
 * import { WORKERS_ERROR_CODES } from "@netscript/plugin-workers";
 *
 * console.log(WORKERS_ERROR_CODES.WORKERS_INVALID_PERMISSIONS);
 * ```
 */
export const WORKERS_ERROR_CODES = {
  WORKERS_INVALID_PERMISSIONS:
    "defineWorkersPlugin() was given jobPermissions with an unknown permission name, a malformed value, or env: true (which would stop the store's variables from being passed on). List the permissions your jobs need, and the variable names they read under env.",
  WORKERS_SCHEDULE_JOB_UNKNOWN:
    "A schedule's job is not, by name, one of the jobs of the files under jobs/ (typically a job defined in the schedule's own file); the scheduler exits at start. Move the job to its own file under jobs/ and import it from there.",
} as const;

/** One of {@linkcode WORKERS_ERROR_CODES}. */
export type WorkersErrorCode = keyof typeof WORKERS_ERROR_CODES;
