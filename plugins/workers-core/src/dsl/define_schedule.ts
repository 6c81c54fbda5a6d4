import { Cron } from "croner";
import { formatIssues, NetScriptError } from "@netscript/contracts/errors";
import type { z } from "zod";
import type { WorkersCoreErrorCode } from "../workers_error_codes.ts";
import { JOB_NAME_PATTERN, type JobDefinition } from "./define_job.ts";

/**
 * The options of {@linkcode defineSchedule}.
 *
 * @template TInput The job's input schema; `input` is checked against it.
 * @template TName The schedule's name, kept as a literal type.
 * @template TJobName The job's name.
 */
export interface ScheduleOptions<
  TInput extends z.ZodType,
  TName extends string = string,
  TJobName extends string = string,
> {
  /** The schedule's name, unique in the workspace, e.g. `nightly-report`. */
  readonly name: TName;
  /** A cron pattern: five fields, or six with seconds first, e.g. `0 3 * * *`. */
  readonly cron: string;
  /** The IANA time zone the pattern is read in. @default {"UTC"} */
  readonly timezone?: string | undefined;
  /** The job each tick enqueues. */
  readonly job: JobDefinition<TInput, TJobName>;
  /** The input each tick's job receives: typed by the job's schema, and validated now. */
  readonly input: z.input<TInput>;
}

/**
 * A validated schedule, as `defineSchedule` returns it. Its type keeps the
 * job's (so its input type) and the literal name; `ScheduleDefinition`
 * alone is any schedule.
 *
 * @template TJob The job each tick enqueues.
 * @template TName The schedule's name.
 */
export interface ScheduleDefinition<
  TJob extends JobDefinition = JobDefinition,
  TName extends string = string,
> {
  /** Always `schedule`. */
  readonly kind: "schedule";
  /** The schedule's name. */
  readonly name: TName;
  /** The cron pattern. */
  readonly cron: string;
  /** The time zone. */
  readonly timezone: string;
  /** The job each tick enqueues. */
  readonly job: TJob;
  /** The validated input. */
  readonly input: z.output<TJob["input"]>;
  /**
   * The latest tick in `(after, until]`, or `null` when there is none.
   *
   * @param after Exclusive start.
   * @param until Inclusive end.
   */
  latestTick(after: Date, until: Date): Date | null;
  /**
   * The first tick after a time, or `null` when the pattern has no more.
   *
   * @param after Exclusive start.
   */
  nextTick(after: Date): Date | null;
}

/**
 * Defines a schedule: a cron pattern (read with croner) in a time zone that
 * enqueues a job with a fixed input at every tick. Each tick enqueues the job
 * once, however many scheduler processes run. Put one
 * `export default defineSchedule(…)` in each file under `schedules/`.
 *
 * `input` is typed by the job's schema, so a wrong input is a compile error
 * as well as a `WORKERS_INVALID_SCHEDULE` at import; the definition keeps
 * the job's type.
 *
 * @param options The schedule.
 * @returns The validated, frozen definition.
 * @throws {NetScriptError} `WORKERS_INVALID_SCHEDULE`, naming the problem.
 *
 * @example
 * ```ts
 * import { defineJob, defineSchedule } from "@netscript/plugin-workers-core";
 * import { z } from "zod";
 *
 * const report = defineJob({
 *   name: "daily-report",
 *   input: z.object({ team: z.string() }),
 *   handler: () => {},
 * });
 * const schedule = defineSchedule({
 *   name: "daily-report-ops",
 *   cron: "0 7 * * 1-5",
 *   timezone: "Europe/Paris",
 *   job: report,
 *   input: { team: "ops" }, // typed by the job: { team: 42 } does not compile
 * });
 * console.log(schedule.job.name); // "daily-report" (a file under schedules/ default-exports it)
 * ```
 */
export function defineSchedule<
  TInput extends z.ZodType,
  const TName extends string = string,
  TJobName extends string = string,
>(
  options: ScheduleOptions<TInput, TName, TJobName>,
): ScheduleDefinition<JobDefinition<TInput, TJobName>, TName> {
  const fail = (problem: string, cause?: unknown): never => {
    throw new NetScriptError<WorkersCoreErrorCode>(
      "WORKERS_INVALID_SCHEDULE",
      `Invalid schedule ${JSON.stringify(options.name)}: ${problem}`,
      { details: { schedule: options.name, problem }, cause },
    );
  };
  if (!JOB_NAME_PATTERN.test(String(options.name))) {
    fail(`name must match ${JOB_NAME_PATTERN}`);
  }
  if (options.job?.kind !== "job") fail("job must be a definition from defineJob");
  const timezone = options.timezone ?? "UTC";
  try {
    new Intl.DateTimeFormat("en", { timeZone: timezone });
  } catch (error) {
    fail(`timezone ${JSON.stringify(timezone)} is not an IANA time zone`, error);
  }
  let cron: Cron;
  try {
    cron = new Cron(options.cron, { paused: true, timezone });
  } catch (error) {
    return fail(`cron ${JSON.stringify(options.cron)}: ${(error as Error).message}`, error);
  }
  const parsed = options.job.input.safeParse(options.input);
  if (!parsed.success) {
    fail(
      `input does not match job ${options.job.name}: ${
        formatIssues(parsed.error.issues, { root: "(input)" })
          .map((issue) => `${issue.path} ${issue.message}`).join("; ")
      }`,
    );
  }
  return Object.freeze({
    kind: "schedule",
    name: options.name,
    cron: options.cron,
    timezone,
    job: options.job,
    input: parsed.data as z.output<TInput>,
    latestTick(after: Date, until: Date): Date | null {
      const [latest] = cron.previousRuns(1, new Date(until.getTime() + 1));
      return latest !== undefined && latest.getTime() > after.getTime() ? latest : null;
    },
    nextTick(after: Date): Date | null {
      return cron.nextRun(after);
    },
  });
}

/**
 * Tells whether a value is a schedule from {@linkcode defineSchedule}, e.g.
 * the default export of a file under `schedules/`.
 *
 * @param value Anything.
 * @returns `true` for a schedule definition.
 */
export function isScheduleDefinition(value: unknown): value is ScheduleDefinition {
  return typeof value === "object" && value !== null &&
    (value as { kind?: unknown }).kind === "schedule";
}
