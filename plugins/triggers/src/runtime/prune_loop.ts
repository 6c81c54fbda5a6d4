/**
 * Retention of settled deliveries: once an hour, `trigger-processor`
 * deletes settled deliveries older than the retention, with their
 * deduplication keys.
 *
 * @module
 */
import type { DeliveryStore } from "@netscript/plugin-triggers-core";
import { abortableSleep } from "@netscript/plugin-workers-core";
import type { Logger } from "@netscript/telemetry";

/** Days settled deliveries are kept unless the `triggers` config topic says otherwise. */
export const DEFAULT_RETENTION_DAYS = 30;

/** How often the pruning runs. */
const PRUNE_EVERY_MS = 3_600_000;

const DAY_MS = 86_400_000;

/** Options of {@linkcode createPruneLoop}. */
export interface PruneLoopOptions {
  /** The delivery store. */
  readonly store: DeliveryStore;
  /** Where prunes and failures are logged. */
  readonly logger: Logger;
}

/** The pruning, as a processor part, with its retention adjustable. */
export interface PruneLoop {
  /** Prunes now; resolves with the deliveries deleted. */
  prune(): Promise<number>;
  /** Sets the retention in days (`undefined` for the default). */
  configure(retentionDays: number | undefined): void;
  /** Prunes now and every hour until stopped. */
  start(): Promise<void>;
  /** Stops; resolves once stopped. */
  stop(): Promise<void>;
}

/**
 * Creates the pruning of settled deliveries: pending ones are never
 * deleted; a sender's retry of a pruned delivery is a new delivery.
 *
 * @param options The store and a logger.
 * @returns The loop; `start()` runs it.
 */
export function createPruneLoop(options: PruneLoopOptions): PruneLoop {
  let retentionDays = DEFAULT_RETENTION_DAYS;
  const stopping = new AbortController();
  let loop: Promise<void> | undefined;
  const prune = async () => {
    const before = new Date(Date.now() - retentionDays * DAY_MS);
    const deleted = await options.store.prune(before);
    if (deleted > 0) {
      options.logger.info("settled deliveries pruned", {
        deleted,
        before: before.toISOString(),
      });
    }
    return deleted;
  };
  return {
    prune,
    configure(days) {
      retentionDays = days ?? DEFAULT_RETENTION_DAYS;
    },
    start() {
      loop ??= (async () => {
        while (!stopping.signal.aborted) {
          try {
            await prune();
          } catch (error) {
            options.logger.error("cannot prune deliveries; trying again in an hour", { error });
          }
          await abortableSleep(PRUNE_EVERY_MS, stopping.signal);
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
