/**
 * The dispatcher the `trigger-processor` runs: it claims recorded
 * deliveries from the outbox, asks each one's trigger what to start, and
 * starts that job or saga exactly once per delivery (the job store keeps
 * the delivery's once-key with the job, the saga store takes the
 * delivery's saga id as the saga's, so a dispatch repeated after a crash
 * finds what it already started).
 *
 * @module
 */
import { abortableSleep, retryDelay } from "@netscript/plugin-workers-core";
import { extractTraceContext, type Logger, withSpan } from "@netscript/telemetry";
import type { TriggerDefinition } from "../dsl/trigger_list.ts";
import type { DeliveryOutcome, DeliveryRecord, DeliveryStore } from "../ports/delivery_store.ts";
import {
  chosenTarget,
  isPermanentRefusal,
  type JobStarter,
  type SagaStarter,
  startTarget,
} from "./dispatch_target.ts";
import { triggerEvent } from "./trigger_event.ts";

/** Limits of a dispatcher; each has a default. */
export interface DispatcherLimits {
  /** Deliveries dispatched at once. @default {16} */
  readonly concurrency?: number | undefined;
  /** How long a claimed delivery stays leased. @default {30000} */
  readonly leaseMs?: number | undefined;
  /** The longest wait for work between claims. @default {1000} */
  readonly pollMs?: number | undefined;
  /** Dispatch attempts per delivery before it is `failed`. @default {5} */
  readonly maxAttempts?: number | undefined;
}

/** Options of {@linkcode createDispatcher}. */
export interface DispatcherOptions extends DispatcherLimits {
  /** The outbox. */
  readonly store: DeliveryStore;
  /** The workspace's triggers, by name. */
  readonly triggers: ReadonlyMap<string, TriggerDefinition>;
  /** Starts jobs. */
  readonly jobs: JobStarter;
  /**
   * Starts sagas. Without it, a delivery whose dispatch returns
   * `{ saga, input }` fails with `TRIGGERS_SAGAS_MISSING`.
   * @default {none}
   */
  readonly sagas?: SagaStarter | undefined;
  /** Where dispatches and failures are logged. */
  readonly logger: Logger;
  /** Who claims. @default {a random id} */
  readonly owner?: string | undefined;
}

/** A running dispatcher. */
export interface Dispatcher {
  /**
   * Claims what is ready now and dispatches it; resolves with the
   * deliveries settled. `start()` calls it in a loop; tests call it directly.
   */
  drain(): Promise<number>;
  /**
   * Changes the concurrency and the attempts allowed while it runs; a
   * field left `undefined` returns to its default.
   *
   * @param limits The new limits.
   */
  configure(limits: Pick<DispatcherLimits, "concurrency" | "maxAttempts">): void;
  /** Dispatches until stopped; resolves once stopped. */
  start(): Promise<void>;
  /** Stops after the dispatches under way; resolves once stopped. */
  stop(): Promise<void>;
}

/** Deliveries dispatched at once unless configured otherwise. */
const DEFAULT_CONCURRENCY = 16;

/** How dispatch attempts back off: 1 s, doubling, at most a minute. */
const BACKOFF = { attempts: 5, backoff: "exponential", delay: 1_000, maxDelay: 60_000 } as const;

/**
 * Creates the dispatcher. A delivery's trigger `dispatch` may run more than
 * once (after a crash or a failed attempt), so it should only decide what
 * to start; the job it returns starts once (enqueued with the once-key
 * `trigger-delivery:<deliveryId>`), and so does the saga (started with the
 * id `trigger-delivery-<deliveryId>`).
 *
 * @param options The store, the triggers, the job and saga starters, and limits.
 * @returns The dispatcher.
 *
 * @example
 * ```ts
 * import { createJobClient, defineJob } from "@netscript/plugin-workers-core";
 * import { MemoryJobQueue } from "@netscript/plugin-workers-core/memory";
 * import { createMemoryDeliveryStore } from "@netscript/plugin-triggers-core/memory";
 * import { createDispatcher, defineWebhook, triggersByName, unverified } from "@netscript/plugin-triggers-core";
 * import { createLogger } from "@netscript/telemetry";
 * import { z } from "zod";
 *
 * const greet = defineJob({ name: "greet", input: z.object({ who: z.string() }), handler: () => {} });
 * const hook = defineWebhook({
 *   name: "hello",
 *   verify: unverified(),
 *   dispatch: () => ({ job: greet, input: { who: "Ada" } }),
 * });
 * const store = createMemoryDeliveryStore();
 * const queue = new MemoryJobQueue();
 * await store.record({ trigger: "hello", source: "manual", payload: {} });
 * const dispatcher = createDispatcher({
 *   store,
 *   triggers: triggersByName([{ file: "triggers/hello.ts", definition: hook }]),
 *   jobs: createJobClient({ queue, jobs: [greet] }),
 *   logger: createLogger({ service: "docs" }),
 * });
 * console.log(await dispatcher.drain(), (await queue.stats()).queued); // 1 1
 * ```
 */
export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const { store, logger } = options;
  const owner = options.owner ?? `dispatcher-${crypto.randomUUID()}`;
  let concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const leaseMs = options.leaseMs ?? 30_000;
  const pollMs = options.pollMs ?? 1_000;
  let maxAttempts = options.maxAttempts ?? BACKOFF.attempts;
  const stopping = new AbortController();
  let loop: Promise<void> | undefined;

  const settle = async (delivery: DeliveryRecord, outcome: DeliveryOutcome) => {
    const held = await store.settle(delivery.id, owner, outcome);
    if (!held) {
      logger.warn("delivery settled elsewhere: its lease ran out during the dispatch", {
        delivery: delivery.id,
        trigger: delivery.trigger,
      });
    }
  };

  const dispatchOne = async (delivery: DeliveryRecord): Promise<void> => {
    const outcome = await withSpan(
      "trigger.dispatch",
      async (span) => {
        span.setAttribute("netscript.trigger", delivery.trigger);
        span.setAttribute("netscript.delivery", delivery.id);
        return await _outcome(delivery, options);
      },
      {
        ...(delivery.traceparent === null ? {} : {
          parent: extractTraceContext(new Headers({ traceparent: delivery.traceparent })),
        }),
      },
    ).catch((error: unknown) => _retryOrFail(delivery, error, maxAttempts));
    if (outcome.state === "dispatched") {
      logger.info("delivery dispatched", {
        trigger: delivery.trigger,
        delivery: delivery.id,
        [outcome.target.kind]: outcome.target.name,
        [`${outcome.target.kind}Id`]: outcome.target.id,
      });
    } else if (outcome.state !== "skipped") {
      logger.warn(
        outcome.state === "failed" ? "delivery failed" : "delivery dispatch will be retried",
        { trigger: delivery.trigger, delivery: delivery.id, error: outcome.error },
      );
    }
    await settle(delivery, outcome);
  };

  const drain = async (): Promise<number> => {
    const claimed = await store.claim({ owner, limit: concurrency, leaseMs });
    await Promise.all(claimed.map(dispatchOne));
    return claimed.length;
  };

  return {
    drain,
    configure(limits) {
      concurrency = limits.concurrency ?? DEFAULT_CONCURRENCY;
      maxAttempts = limits.maxAttempts ?? BACKOFF.attempts;
    },
    start() {
      loop ??= (async () => {
        logger.info("dispatcher started", { owner, triggers: [...options.triggers.keys()] });
        while (!stopping.signal.aborted) {
          try {
            if (await drain() > 0) continue;
            await store.waitForWork(pollMs, stopping.signal);
          } catch (error) {
            logger.error("cannot claim deliveries; retrying", { error });
            await abortableSleep(pollMs, stopping.signal);
          }
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

/** Runs a delivery's dispatch and starts its job or saga; throws to retry. */
async function _outcome(
  delivery: DeliveryRecord,
  options: DispatcherOptions,
): Promise<DeliveryOutcome> {
  const trigger = options.triggers.get(delivery.trigger);
  if (trigger === undefined) {
    return _failed(`no trigger named "${delivery.trigger}" exists in this workspace any more`);
  }
  const returned: unknown = await trigger.dispatch(triggerEvent(trigger, delivery) as never);
  const chosen = chosenTarget(trigger.name, returned);
  if (chosen === null) return { state: "skipped" };
  if (chosen.kind === "invalid") return _failed(chosen.reason);
  try {
    return { state: "dispatched", target: await startTarget(chosen, delivery, options) };
  } catch (error) {
    if (isPermanentRefusal(error)) return _failed(error.message);
    throw error;
  }
}

/** A failed dispatch, not retried: the same delivery would fail the same way. */
function _failed(reason: string): DeliveryOutcome {
  return { state: "failed", error: reason };
}

/** The outcome of an attempt that threw: retried with back-off until `maxAttempts`. */
function _retryOrFail(
  delivery: DeliveryRecord,
  error: unknown,
  maxAttempts: number,
): DeliveryOutcome {
  const reason = error instanceof Error ? error.message : String(error);
  if (delivery.attempts >= maxAttempts) {
    return { state: "failed", error: `after ${delivery.attempts} attempts: ${reason}` };
  }
  const delay = retryDelay({ ...BACKOFF, attempts: maxAttempts }, delivery.attempts);
  return { state: "pending", error: reason, retryAt: new Date(Date.now() + delay) };
}
