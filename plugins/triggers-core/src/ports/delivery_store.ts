/**
 * The delivery store port: the triggers' outbox. `triggers-api` records a
 * delivery (a verified webhook, a manual fire) before it answers; the
 * `trigger-processor` records cron ticks and stream events the same way,
 * then claims pending deliveries, dispatches each to its job or saga and
 * settles it. Adapters (memory, Deno KV, Postgres) implement it;
 * `@netscript/plugin-triggers-core/testing` holds the conformance suite
 * every adapter passes.
 *
 * @module
 */

/**
 * Where a delivery is in its life. `pending` waits for (or is being
 * given) its dispatch; `dispatched` started its job or saga; `skipped` was
 * dispatched to nothing (the trigger's `dispatch` returned `null`);
 * `rejected` failed the trigger's `input` schema and is never dispatched;
 * `failed` ran out of dispatch attempts.
 */
export const DELIVERY_STATES = ["pending", "dispatched", "skipped", "rejected", "failed"] as const;

/** One of {@linkcode DELIVERY_STATES}. */
export type DeliveryState = typeof DELIVERY_STATES[number];

/** Where a delivery came from. */
export const DELIVERY_SOURCES = ["webhook", "cron", "event", "manual", "replay"] as const;

/** One of {@linkcode DELIVERY_SOURCES}. */
export type DeliverySource = typeof DELIVERY_SOURCES[number];

/** What a dispatched delivery started. */
export interface DispatchedTarget {
  /** What it started: a workers job or a saga. */
  readonly kind: "job" | "saga";
  /** The job's or the saga's name. */
  readonly name: string;
  /** The job's id in the job store, or the saga's id in the saga store. */
  readonly id: string;
}

/** A delivery as the store keeps it. */
export interface DeliveryRecord {
  /** The store's id for it, unique across triggers. */
  readonly id: string;
  /** The trigger's name. */
  readonly trigger: string;
  /** Where it came from. */
  readonly source: DeliverySource;
  /**
   * Its deduplication key within its trigger: a webhook's delivery id, a
   * cron tick's time, a stream message's offset; `null` for manual fires
   * and replays, which are never duplicates.
   */
  readonly key: string | null;
  /** The payload: the webhook's parsed body, the tick, the stream message. */
  readonly payload: unknown;
  /**
   * The request headers kept with a webhook delivery (lower-case names;
   * credentials and signatures left out); `{}` for other sources.
   */
  readonly headers: Readonly<Record<string, string>>;
  /** Where it is. */
  readonly state: DeliveryState;
  /** Dispatch attempts begun. */
  readonly attempts: number;
  /** Why it was rejected, or why its last dispatch attempt failed. */
  readonly error: string | null;
  /** What it started, once `dispatched`. */
  readonly target: DispatchedTarget | null;
  /** The delivery this one replays, for a replay. */
  readonly replayOf: string | null;
  /** The receiver's W3C `traceparent`. */
  readonly traceparent: string | null;
  /** Not dispatched before this time (a retry's back-off). */
  readonly runAt: Date;
  /** Who holds its dispatch now. */
  readonly leaseOwner: string | null;
  /** When that lease runs out. */
  readonly leaseExpiresAt: Date | null;
  /** When it was recorded. */
  readonly receivedAt: Date;
  /** When it last changed. */
  readonly updatedAt: Date;
  /** When it was settled (dispatched, skipped, rejected, failed). */
  readonly settledAt: Date | null;
}

/** A delivery to record. */
export interface NewDelivery {
  /** The trigger's name. */
  readonly trigger: string;
  /** Where it came from. */
  readonly source: DeliverySource;
  /** Its deduplication key within the trigger; see {@linkcode DeliveryRecord.key}. */
  readonly key?: string | undefined;
  /** The payload; must be JSON-serialisable. */
  readonly payload: unknown;
  /** The headers to keep. @default {{}} */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** `rejected` records a delivery that is never dispatched. @default {"pending"} */
  readonly state?: "pending" | "rejected" | undefined;
  /** Why it was rejected. */
  readonly error?: string | undefined;
  /** The delivery this one replays. */
  readonly replayOf?: string | undefined;
  /** The receiver's W3C `traceparent`. */
  readonly traceparent?: string | undefined;
  /** Not claimed before this time (a cron tick's jitter). @default {now} */
  readonly runAt?: Date | undefined;
  /**
   * Moves the trigger's cursor ({@linkcode DeliveryStore.cursor}) to this
   * value in the same atomic step, when it is greater than the cursor
   * (compared as strings): a cron tick's ISO time, a stream offset.
   */
  readonly cursor?: string | undefined;
}

/** What {@linkcode DeliveryStore.record} did. */
export interface Recorded {
  /** The delivery's id: the new one, or the first delivery with the same key. */
  readonly id: string;
  /** `true` when the trigger already had a delivery with this key; nothing was written. */
  readonly duplicate: boolean;
  /** The delivery's state: the new one's, or the first delivery's now. */
  readonly state: DeliveryState;
}

/** Options of {@linkcode DeliveryStore.claim}. */
export interface ClaimDeliveriesOptions {
  /** Who claims; the lease is held in its name. */
  readonly owner: string;
  /** At most this many deliveries. */
  readonly limit: number;
  /** How long the lease lasts. */
  readonly leaseMs: number;
}

/** How a claimed delivery ended, for {@linkcode DeliveryStore.settle}. */
export type DeliveryOutcome =
  /** It started its target. */
  | { readonly state: "dispatched"; readonly target: DispatchedTarget }
  /** Its trigger dispatched it to nothing. */
  | { readonly state: "skipped" }
  /** Its last attempt failed: it is not tried again. */
  | { readonly state: "failed"; readonly error: string }
  /** An attempt failed: it is tried again from `retryAt`. */
  | { readonly state: "pending"; readonly error: string; readonly retryAt: Date };

/** Filters of {@linkcode DeliveryStore.list}. */
export interface ListDeliveriesOptions {
  /** Only this trigger's deliveries. */
  readonly trigger?: string | undefined;
  /** Only deliveries in this state. */
  readonly state?: DeliveryState | undefined;
  /** At most this many. @default {50} */
  readonly limit?: number | undefined;
  /** Skip this many. @default {0} */
  readonly offset?: number | undefined;
}

/** One page of deliveries, newest first. */
export interface DeliveryPage {
  /** The deliveries. */
  readonly items: readonly DeliveryRecord[];
  /** How many match the filters in total. */
  readonly total: number;
}

/** Delivery counts by state. */
export type DeliveryStats = Readonly<Record<DeliveryState, number>>;

/**
 * The store behind the triggers. Every method is atomic on its own.
 * Methods that act on a claimed delivery take the `owner` that claimed it
 * and do nothing (returning `false`) once another owner has claimed it, so
 * a processor that was presumed dead cannot overwrite the outcome of the
 * attempt that replaced it.
 */
export interface DeliveryStore {
  /**
   * Records a delivery, unless its trigger already has one with the same
   * `key`: then nothing is written and the first delivery is returned.
   * With a `cursor`, moves the trigger's cursor in the same atomic step.
   *
   * @throws {RangeError} When the payload or headers cannot be stored
   * (not JSON, a NUL character or a lone surrogate in a string).
   */
  record(delivery: NewDelivery): Promise<Recorded>;
  /**
   * Claims pending deliveries whose `runAt` has come and that nobody holds
   * (or whose lease ran out), oldest first; counts the attempt and leases
   * them to `owner`.
   */
  claim(options: ClaimDeliveriesOptions): Promise<DeliveryRecord[]>;
  /**
   * Settles a claimed delivery the owner still holds; returns `false`
   * (writing nothing) when it no longer holds it.
   */
  settle(id: string, owner: string, outcome: DeliveryOutcome): Promise<boolean>;
  /** One delivery, or `null`. */
  get(id: string): Promise<DeliveryRecord | null>;
  /** Deliveries matching the filters, newest first. */
  list(options?: ListDeliveriesOptions): Promise<DeliveryPage>;
  /** Counts by state. */
  stats(): Promise<DeliveryStats>;
  /** A trigger's cursor (see {@linkcode NewDelivery.cursor}), or `null`. */
  cursor(trigger: string): Promise<string | null>;
  /**
   * Deletes settled deliveries (not `pending`) recorded before `before`;
   * returns how many. Their keys are forgotten with them, so a sender's
   * retry after that is a new delivery.
   */
  prune(before: Date): Promise<number>;
  /**
   * Resolves when a delivery may have become claimable (a record, a retry)
   * since the previous wait ended, or after `timeoutMs`, whichever is
   * first, also for writes by other processes. Spurious wake-ups are allowed.
   */
  waitForWork(timeoutMs: number, signal?: AbortSignal): Promise<void>;
  /** Releases connections and watchers. */
  close(): Promise<void>;
}
