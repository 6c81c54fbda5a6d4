/**
 * The cron ticker the `trigger-processor` runs: each cron trigger's ticks
 * are recorded as deliveries in the outbox, keyed by the tick's time, so a
 * tick is recorded once however many processors run, and the dispatcher
 * starts its job.
 *
 * @module
 */
import { abortableSleep } from "@netscript/plugin-workers-core";
import type { Logger } from "@netscript/telemetry";
import { type CronDefinition, MAX_CATCH_UP_TICKS } from "../dsl/define_cron.ts";
import type { DeliveryStore } from "../ports/delivery_store.ts";
import type { CronPayload } from "./trigger_event.ts";

/** Options of {@linkcode createCronTicker}. */
export interface CronTickerOptions {
  /** The outbox. */
  readonly store: DeliveryStore;
  /** The workspace's cron triggers. */
  readonly crons: readonly CronDefinition[];
  /** Where ticks and failures are logged. */
  readonly logger: Logger;
  /** The clock. @default {() => new Date()} */
  readonly now?: (() => Date) | undefined;
}

/** One tick recorded by {@linkcode CronTicker.check}. */
export interface RecordedTick {
  /** The trigger. */
  readonly trigger: string;
  /** The tick. */
  readonly tick: Date;
  /** The delivery's id. */
  readonly deliveryId: string;
  /** `true` when another processor had recorded it first. */
  readonly duplicate: boolean;
}

/** A running cron ticker. */
export interface CronTicker {
  /**
   * Records the ticks due now; resolves with them. `start()` calls it
   * every second; tests call it directly.
   */
  check(): Promise<RecordedTick[]>;
  /** Checks every second until stopped; resolves once stopped. */
  start(): Promise<void>;
  /** Stops; resolves once stopped. */
  stop(): Promise<void>;
}

/**
 * Creates the cron ticker. A trigger that never ticked starts with the
 * first tick after the ticker started. After a pause (no processor ran),
 * its `missed` policy decides: `latest` records the latest missed tick,
 * `all` each of them (at most `MAX_CATCH_UP_TICKS`, the latest ones), `skip`
 * none. A tick's delivery runs after a random delay of up to the trigger's
 * `jitter`, chosen when it is recorded.
 *
 * @param options The store, the cron triggers, a logger and a clock.
 * @returns The ticker.
 *
 * @example
 * ```ts
 * import { createMemoryDeliveryStore } from "@netscript/plugin-triggers-core/memory";
 * import { createCronTicker, defineCron } from "@netscript/plugin-triggers-core";
 * import { createLogger } from "@netscript/telemetry";
 *
 * let now = new Date("2026-01-01T00:00:30Z");
 * const every = defineCron({ name: "minutely", cron: "* * * * *", dispatch: () => null });
 * const store = createMemoryDeliveryStore();
 * const ticker = createCronTicker({ store, crons: [every], logger: createLogger({ service: "docs" }), now: () => now });
 * await ticker.check();
 * now = new Date("2026-01-01T00:01:05Z");
 * console.log((await ticker.check()).map((t) => t.tick.toISOString())); // ["2026-01-01T00:01:00.000Z"]
 * ```
 */
export function createCronTicker(options: CronTickerOptions): CronTicker {
  const { store, logger } = options;
  const now = options.now ?? (() => new Date());
  const startedAt = now();
  const stopping = new AbortController();
  const last = new Map<string, Date>();
  let loop: Promise<void> | undefined;

  const since = async (cron: CronDefinition): Promise<Date> => {
    const known = last.get(cron.name);
    if (known !== undefined) return known;
    const cursor = await store.cursor(cron.name);
    const recorded = cursor === null ? null : new Date(cursor);
    const from = recorded === null || cron.missed === "skip" || recorded > startedAt
      ? new Date(Math.max(startedAt.getTime(), recorded?.getTime() ?? 0))
      : recorded;
    last.set(cron.name, from);
    return from;
  };

  const check = async (): Promise<RecordedTick[]> => {
    const until = now();
    const recorded: RecordedTick[] = [];
    for (const cron of options.crons) {
      try {
        const after = await since(cron);
        const ticks = cron.ticksBetween(
          after,
          until,
          cron.missed === "all" ? MAX_CATCH_UP_TICKS : 1,
        );
        for (const tick of ticks) {
          const at = tick.toISOString();
          const jitter = cron.jitter === 0 ? 0 : Math.floor(Math.random() * (cron.jitter + 1));
          const result = await store.record({
            trigger: cron.name,
            source: "cron",
            key: at,
            payload: { scheduledAt: at } satisfies CronPayload,
            cursor: at,
            ...(jitter === 0 ? {} : { runAt: new Date(tick.getTime() + jitter) }),
          });
          last.set(cron.name, tick);
          recorded.push({
            trigger: cron.name,
            tick,
            deliveryId: result.id,
            duplicate: result.duplicate,
          });
          if (!result.duplicate) {
            logger.info("cron tick recorded", {
              trigger: cron.name,
              tick: at,
              delivery: result.id,
            });
          }
        }
      } catch (error) {
        logger.error("cannot record a cron tick; retrying", { trigger: cron.name, error });
      }
    }
    return recorded;
  };

  return {
    check,
    start() {
      loop ??= (async () => {
        logger.info("cron ticker started", { triggers: options.crons.map((cron) => cron.name) });
        while (!stopping.signal.aborted) {
          await check();
          await abortableSleep(1_000 - (Date.now() % 1_000), stopping.signal);
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
