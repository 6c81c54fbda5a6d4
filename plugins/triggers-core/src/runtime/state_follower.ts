/**
 * The state follower the `trigger-processor` runs: it tells the job store
 * and the saga store which `(name, state)` pairs the event triggers watch,
 * then takes the state events those stores record (in the same write as
 * each change) and records each as a delivery of every trigger that
 * watches it; the dispatcher then starts the trigger's job or saga.
 *
 * **Each change is recorded exactly once per trigger, and none is lost.**
 * The follower reads the oldest events, records their deliveries keyed by
 * the event (`<job|saga>:<id>:<state>:<event id>`), and only then removes
 * the events from the job or saga store. A follower that dies in between
 * reads the same events again; their deliveries are then duplicates the
 * delivery store drops. Changes made while the processor is down wait in
 * the job or saga store. A change is recorded only once the processor has
 * told the store to watch its pair: changes before the first start of a
 * trigger are not.
 *
 * Failures (a store unreachable) are logged and retried with back-off;
 * they never stop the processor.
 *
 * @module
 */
import { abortableSleep } from "@netscript/plugin-workers-core";
import type { StateEvent, StateEventLog, WatchedState } from "@netscript/store";
import type { Logger } from "@netscript/telemetry";
import type { EventDefinition } from "../dsl/define_event.ts";
import type { StateChange } from "../dsl/state_change.ts";
import type { DeliveryStore } from "../ports/delivery_store.ts";
import { recordDelivery } from "./record_delivery.ts";

/** A job's or saga's input and output, read when its change is recorded as a delivery. */
export interface StateSnapshot {
  /** Its input. */
  readonly input: unknown;
  /** A completed saga's output; `null` otherwise. */
  readonly output: unknown;
}

/** A store whose changes event triggers follow: the job store or the saga store. */
export interface WatchedStore {
  /** `job` for the workers' job store, `saga` for the sagas' store. */
  readonly kind: "job" | "saga";
  /** Its state events. */
  readonly log: StateEventLog;
  /**
   * Reads a job's or saga's input and output.
   *
   * @param id The job's or saga's id.
   * @returns Them, or `null` when it no longer exists.
   */
  snapshot(id: string): Promise<StateSnapshot | null>;
}

/** Options of {@linkcode createStateFollower}. */
export interface StateFollowerOptions {
  /** The outbox. */
  readonly store: DeliveryStore;
  /** The workspace's event triggers; those on a job or saga are followed. */
  readonly events: readonly EventDefinition[];
  /** The job store, the saga store, or both. */
  readonly sources: readonly WatchedStore[];
  /** Where recorded events and failures are logged. */
  readonly logger: Logger;
  /** The wait between two reads that found nothing. @default {200} */
  readonly pollMs?: number | undefined;
  /** Events read at once. @default {100} */
  readonly batchSize?: number | undefined;
  /** The wait after a failure, doubled for each failure in a row. @default {1000} */
  readonly retryDelayMs?: number | undefined;
  /** The longest wait after a failure. @default {30000} */
  readonly maxRetryDelayMs?: number | undefined;
}

/** A running state follower. */
export interface StateFollower {
  /** Watches and follows every source until stopped; resolves once stopped. */
  start(): Promise<void>;
  /** Stops; resolves once stopped. */
  stop(): Promise<void>;
}

/**
 * Creates the state follower. Each source is told the pairs its triggers
 * watch, also when there are none (so a trigger removed from `triggers/`
 * stops its store recording), then followed.
 *
 * @param options The delivery store, the triggers, the sources and a logger.
 * @returns The follower.
 *
 * @example
 * ```ts
 * import { MemoryJobQueue } from "@netscript/plugin-workers-core/memory";
 * import { createMemoryDeliveryStore } from "@netscript/plugin-triggers-core/memory";
 * import { createStateFollower, defineEvent } from "@netscript/plugin-triggers-core";
 * import { createLogger } from "@netscript/telemetry";
 *
 * const queue = new MemoryJobQueue();
 * const store = createMemoryDeliveryStore();
 * const follower = createStateFollower({
 *   store,
 *   events: [defineEvent({ name: "email-died", on: { job: "email", state: "dead" }, dispatch: () => null })],
 *   sources: [{
 *     kind: "job",
 *     log: queue,
 *     snapshot: async (id) => {
 *       const job = await queue.get(id);
 *       return job && { input: job.input, output: null };
 *     },
 *   }],
 *   logger: createLogger({ service: "docs" }),
 * });
 * const running = follower.start(); // the memory queue watches "email" reaching "dead" at once
 * const { id } = await queue.enqueue({ name: "email", input: { to: "a@example.com" } });
 * await queue.claim({ workerId: "w", limit: 1, leaseMs: 1000, names: ["email"] });
 * await queue.fail(id, "w", "bounced", null);
 * while ((await store.list()).total === 0) await new Promise((r) => setTimeout(r, 10));
 * await follower.stop();
 * await running;
 * console.log((await store.list()).items[0]?.payload); // { kind: "job", state: "dead", … }
 * ```
 */
export function createStateFollower(options: StateFollowerOptions): StateFollower {
  const { store, logger } = options;
  const pollMs = options.pollMs ?? 200;
  const batchSize = options.batchSize ?? 100;
  const retryDelayMs = options.retryDelayMs ?? 1_000;
  const maxRetryDelayMs = options.maxRetryDelayMs ?? 30_000;
  const stopping = new AbortController();
  const { signal } = stopping;
  let loop: Promise<void> | undefined;

  const recordEvents = async (
    source: WatchedStore,
    triggers: readonly EventDefinition[],
    events: readonly StateEvent[],
  ) => {
    const counts = { recorded: 0, duplicates: 0 };
    // The events are recorded together, so a store that writes concurrent records in one
    // statement (the Postgres delivery store) does; they are removed once all are recorded.
    await Promise.all(events.map(async (event) => {
      const matching = triggers.filter((trigger) =>
        trigger.on[source.kind] === event.name && trigger.on.state === event.state
      );
      if (matching.length === 0) return;
      const change = _change(source.kind, event, await source.snapshot(event.subject));
      for (const trigger of matching) {
        signal.throwIfAborted();
        const recorded = await recordDelivery(store, {
          trigger: trigger.name,
          source: "event",
          key: `${source.kind}:${event.subject}:${event.state}:${event.id}`,
          payload: change,
        }, `the ${source.kind}'s change`);
        if (recorded.duplicate) counts.duplicates++;
        else counts.recorded++;
      }
    }));
    await source.log.removeStateEvents(events.map((event) => event.id));
    logger.info("state events recorded", { source: source.kind, read: events.length, ...counts });
  };

  const follow = async (source: WatchedStore): Promise<void> => {
    const triggers = options.events.filter((trigger) => trigger.on[source.kind] !== undefined);
    const watched = _watched(source.kind, triggers);
    let watching = false;
    let failures = 0;
    while (!signal.aborted) {
      try {
        if (!watching) {
          await source.log.watchStates(watched);
          watching = true;
          logger.info("watching state changes", {
            source: source.kind,
            watched: watched.map(({ name, state }) => `${name}:${state}`),
          });
        }
        const events = await source.log.readStateEvents(batchSize);
        if (events.length > 0) await recordEvents(source, triggers, events);
        failures = 0;
        // With nothing watched, the events left from triggers since removed are dropped, then it ends.
        if (watched.length === 0 && events.length < batchSize) return;
        if (events.length < batchSize) await abortableSleep(pollMs, signal);
      } catch (error) {
        if (signal.aborted) return;
        failures++;
        const delay = Math.min(maxRetryDelayMs, retryDelayMs * 2 ** (failures - 1));
        logger.error(`cannot follow the ${source.kind} store's state changes; retrying`, {
          source: source.kind,
          failures,
          retryInMs: delay,
          error,
        });
        await abortableSleep(delay, signal);
      }
    }
  };

  return {
    start() {
      loop ??= Promise.all(options.sources.map(follow)).then(() => {});
      return loop;
    },
    async stop() {
      stopping.abort();
      await loop;
    },
  };
}

/** The pairs the triggers on `kind` watch, each once. */
function _watched(kind: "job" | "saga", triggers: readonly EventDefinition[]): WatchedState[] {
  const pairs = new Map<string, WatchedState>();
  for (const trigger of triggers) {
    const name = trigger.on[kind];
    const state = trigger.on.state;
    if (name !== undefined && state !== undefined) {
      pairs.set(JSON.stringify([name, state]), { name, state });
    }
  }
  return [...pairs.values()];
}

/** The payload of a change's delivery. */
function _change(
  kind: "job" | "saga",
  event: StateEvent,
  snapshot: StateSnapshot | null,
): StateChange {
  return {
    kind,
    id: event.subject,
    name: event.name,
    state: event.state,
    error: event.error,
    at: event.at.toISOString(),
    input: snapshot?.input ?? null,
    output: snapshot?.output ?? null,
  };
}
