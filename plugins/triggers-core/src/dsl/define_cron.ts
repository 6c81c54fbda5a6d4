import { Cron } from "croner";
import type { StartableSaga } from "@netscript/plugin-sagas-core";
import type { JobDefinition } from "@netscript/plugin-workers-core";
import {
  checkCommonOptions,
  type DispatchFunction,
  invalidTrigger,
  type TriggerDefinitionBase,
  type TriggerEventBase,
} from "./trigger_definition.ts";

/**
 * What happens to ticks that came due while no `trigger-processor` ran:
 * `latest` fires the latest of them once, `all` fires each (oldest first,
 * at most {@linkcode MAX_CATCH_UP_TICKS}), `skip` fires none.
 */
export type MissedTicks = "latest" | "all" | "skip";

/** The most missed ticks `missed: "all"` fires for one trigger after a pause; older ones are dropped. */
export const MAX_CATCH_UP_TICKS = 1_000;

/** The largest `jitter`: one hour. */
export const MAX_CRON_JITTER_MS = 3_600_000;

/** What a cron trigger's `dispatch` receives for one tick. */
export interface CronEvent extends TriggerEventBase {
  /** `cron` for a tick; `manual` and `replay` for the management API's. */
  readonly source: "cron" | "manual" | "replay";
  /** The tick's time (for a manual fire, the time of the fire). */
  readonly scheduledAt: Date;
}

/**
 * The options of {@linkcode defineCron}.
 *
 * @template TName The trigger's name.
 * @template TJob The job `dispatch` starts.
 * @template TSaga The saga `dispatch` starts.
 */
export interface CronOptions<
  TName extends string,
  TJob extends JobDefinition,
  TSaga extends StartableSaga = StartableSaga,
> {
  /** The trigger's name, unique in the workspace. */
  readonly name: TName;
  /** A cron pattern read by croner: five fields, or six with seconds first, e.g. `0 3 * * *`. */
  readonly cron: string;
  /** The IANA time zone the pattern is read in. @default {"UTC"} */
  readonly timezone?: string | undefined;
  /** What happens to ticks missed while no processor ran. @default {"latest"} */
  readonly missed?: MissedTicks | undefined;
  /**
   * Delays each tick's delivery by a random time from 0 to this many
   * milliseconds, so many workspaces' `0 * * * *` do not all call one API
   * at once. At most {@linkcode MAX_CRON_JITTER_MS}.
   * @default {0}
   */
  readonly jitter?: number | undefined;
  /** The job or saga to start for a tick, or `null` for none. */
  readonly dispatch: DispatchFunction<CronEvent, TJob, TSaga>;
}

/**
 * A cron trigger, as {@linkcode defineCron} returns it.
 *
 * @template TName The trigger's name.
 * @template TJob The job it starts.
 * @template TSaga The saga it starts.
 */
export interface CronDefinition<
  TName extends string = string,
  TJob extends JobDefinition = JobDefinition,
  TSaga extends StartableSaga = StartableSaga,
> extends TriggerDefinitionBase<"cron", TName> {
  /** The pattern. */
  readonly cron: string;
  /** The time zone. */
  readonly timezone: string;
  /** What happens to missed ticks. */
  readonly missed: MissedTicks;
  /** The largest random delay of a tick's delivery, in milliseconds. */
  readonly jitter: number;
  /** The job or saga to start for a tick. */
  readonly dispatch: DispatchFunction<CronEvent, TJob, TSaga>;
  /**
   * The ticks in `(after, until]`, oldest first, at most `limit` of them
   * (the latest ones when there are more).
   *
   * @param after Exclusive start.
   * @param until Inclusive end.
   * @param limit The most ticks returned.
   * @returns The ticks.
   */
  ticksBetween(after: Date, until: Date, limit: number): Date[];
  /**
   * The first tick after a time, or `null` when the pattern has no more.
   *
   * @param after Exclusive start.
   * @returns The tick.
   */
  nextTick(after: Date): Date | null;
}

/**
 * Defines a cron trigger: the `trigger-processor` records one delivery per
 * tick (however many processors run) and starts the job or saga
 * `dispatch` returns, exactly once per tick. Times are read in `timezone` with
 * croner: across a daylight-saving change, a daily time that falls in the
 * skipped hour fires at the first time after it, a time that occurs twice
 * fires once (at its first occurrence), and step patterns (`*\/30 * * * *`)
 * keep firing every real interval. Put one `export default defineCron(…)`
 * in a file under `triggers/`.
 *
 * @param options The trigger.
 * @returns The frozen definition.
 * @throws {NetScriptError} `TRIGGERS_INVALID_DEFINITION`, naming the problem.
 *
 * @example
 * ```ts
 * import { defineJob } from "@netscript/plugin-workers-core";
 * import { defineCron } from "@netscript/plugin-triggers-core";
 * import { z } from "zod";
 *
 * const digest = defineJob({ name: "send-digest", input: z.object({ day: z.string() }), handler: () => {} });
 * const daily = defineCron({
 *   name: "daily-digest",
 *   cron: "0 7 * * *",
 *   timezone: "Europe/Paris",
 *   dispatch: (tick) => ({ job: digest, input: { day: tick.scheduledAt.toISOString().slice(0, 10) } }),
 * });
 * console.log(daily.nextTick(new Date("2026-07-01T00:00:00Z"))?.toISOString()); // "2026-07-01T05:00:00.000Z"
 * ```
 */
export function defineCron<
  const TName extends string,
  TJob extends JobDefinition = JobDefinition,
  TSaga extends StartableSaga = StartableSaga,
>(
  options: CronOptions<TName, TJob, TSaga>,
): CronDefinition<TName, TJob, TSaga> {
  checkCommonOptions("defineCron", options);
  const fail = (problem: string, cause?: unknown): never => {
    throw invalidTrigger("defineCron", options.name, problem, cause);
  };
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
  const missed = options.missed ?? "latest";
  if (!["latest", "all", "skip"].includes(missed)) {
    fail(`missed must be "latest", "all" or "skip", got ${JSON.stringify(missed)}`);
  }
  const jitter = options.jitter ?? 0;
  if (!Number.isSafeInteger(jitter) || jitter < 0 || jitter > MAX_CRON_JITTER_MS) {
    fail(`jitter must be an integer from 0 to ${MAX_CRON_JITTER_MS} ms, got ${jitter}`);
  }
  return Object.freeze({
    kind: "trigger",
    type: "cron",
    name: options.name,
    cron: options.cron,
    timezone,
    missed,
    jitter,
    dispatch: options.dispatch,
    ticksBetween(after: Date, until: Date, limit: number): Date[] {
      const ticks: Date[] = [];
      for (
        let tick = cron.nextRun(after);
        tick !== null && tick <= until;
        tick = cron.nextRun(tick)
      ) {
        if (ticks.push(tick) > limit) {
          // Many ticks are due (a long pause): take the latest ones from the end instead.
          return cron.previousRuns(limit, new Date(until.getTime() + 1))
            .filter((latest) => latest.getTime() > after.getTime())
            .reverse();
        }
      }
      return ticks;
    },
    nextTick(after: Date): Date | null {
      return cron.nextRun(after);
    },
  });
}
