import { createLogger, type Logger } from "@netscript/telemetry";
import type { ScheduleDefinition } from "../dsl/define_schedule.ts";
import type { Enqueued, ScheduleStore } from "../ports/job_queue.ts";
import type { JobClient } from "./job_client.ts";

/** One tick a scheduler fired. */
export interface FiredTick {
  /** The schedule. */
  readonly schedule: string;
  /** The tick. */
  readonly tick: Date;
  /** The job it enqueued. */
  readonly job: Enqueued;
}

/** Options of {@linkcode createScheduler}. */
export interface SchedulerOptions {
  /** Where ticks are recorded and their jobs enqueued. */
  readonly store: ScheduleStore;
  /** Enqueues each tick's job. */
  readonly client: JobClient;
  /** The schedules. */
  readonly schedules: readonly ScheduleDefinition[];
  /** Where log lines go. @default {a JSON logger named `workers-scheduler`} */
  readonly logger?: Logger | undefined;
  /** The clock. @default {() => new Date()} */
  readonly now?: (() => Date) | undefined;
}

/** A running scheduler. */
export interface Scheduler {
  /**
   * Fires every due tick once: for each schedule, the latest tick after the
   * one last fired (or after the scheduler started, for a schedule that
   * never fired) that is not in the future.
   */
  check(): Promise<FiredTick[]>;
  /** Checks at every second until stopped; resolves once stopped. */
  start(): Promise<void>;
  /** Stops checking. */
  stop(): Promise<void>;
}

/**
 * Creates a scheduler. Each tick of each schedule enqueues its job once,
 * however many schedulers run against the same store: the store records the
 * tick and enqueues its job in one atomic step.
 *
 * Catch-up: when ticks were missed (no scheduler ran), only the latest
 * missed tick fires, once; older ones are skipped. A schedule that never
 * fired starts with the first tick after the scheduler starts.
 *
 * @param options The store, the client and the schedules.
 * @returns The scheduler.
 *
 * @example
 * ```ts
 * import { createJobClient, createScheduler, defineJob, defineSchedule } from "@netscript/plugin-workers-core";
 * import { MemoryJobQueue } from "@netscript/plugin-workers-core/memory";
 * import { z } from "zod";
 *
 * const queue = new MemoryJobQueue();
 * const ping = defineJob({ name: "ping", input: z.object({}), handler: () => {} });
 * const scheduler = createScheduler({
 *   store: queue,
 *   client: createJobClient({ queue, jobs: [ping] }),
 *   schedules: [defineSchedule({ name: "every-minute", cron: "* * * * *", job: ping, input: {} })],
 * });
 * console.log(await scheduler.check()); // [] until the first minute after it was created
 * ```
 */
export function createScheduler(options: SchedulerOptions): Scheduler {
  const now = options.now ?? (() => new Date());
  const logger = options.logger ?? createLogger({ service: "workers-scheduler" });
  const startedAt = now();
  const stopping = new AbortController();
  let loop: Promise<void> | undefined;

  const check = async (): Promise<FiredTick[]> => {
    const fired: FiredTick[] = [];
    const until = now();
    for (const schedule of options.schedules) {
      try {
        const last = await options.store.lastTick(schedule.name);
        const tick = schedule.latestTick(last ?? startedAt, until);
        if (tick === null) continue;
        const job = await options.store.fireTick(
          schedule.name,
          tick,
          options.client.prepare(schedule.job.name, schedule.input),
        );
        if (job === null) continue;
        fired.push({ schedule: schedule.name, tick, job });
        logger.info("schedule fired", {
          schedule: schedule.name,
          tick: tick.toISOString(),
          job: job.id,
        });
      } catch (error) {
        logger.error("cannot fire a schedule", { schedule: schedule.name, error: String(error) });
      }
    }
    return fired;
  };

  return {
    check,
    start() {
      loop ??= (async () => {
        logger.info("scheduler started", { schedules: options.schedules.map((s) => s.name) });
        while (!stopping.signal.aborted) {
          await check();
          await new Promise<void>((resolve) => {
            const done = () => {
              clearTimeout(timer);
              resolve();
            };
            const timer = setTimeout(done, 1_000 - (Date.now() % 1_000));
            stopping.signal.addEventListener("abort", done, { once: true });
          });
        }
      })();
      return loop;
    },
    async stop() {
      stopping.abort();
      await loop;
    },
  };
}
