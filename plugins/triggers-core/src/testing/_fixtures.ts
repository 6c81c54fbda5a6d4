/**
 * What the delivery store conformance steps share.
 *
 * @module
 */
import type { DeliveryStore, NewDelivery } from "../ports/delivery_store.ts";

/** Opens another store on the same data as the step's store (or returns that store). */
export type Peer = () => Promise<DeliveryStore>;

/** Runs one step on a fresh store, closing it (and any peers) afterwards. */
export type Step = (
  name: string,
  body: (store: DeliveryStore, peer: Peer) => Promise<void>,
) => Promise<void>;

/** Longer than any step may take: a wait with this timeout ends by something else. */
export const FOREVER = 120_000;

/**
 * A webhook delivery of `trigger` with `key`, changed by `overrides`.
 *
 * @param trigger The trigger.
 * @param key The deduplication key.
 * @param overrides Fields to change.
 * @returns The delivery to record.
 */
export function webhook(
  trigger: string,
  key: string | undefined,
  overrides: Partial<NewDelivery> = {},
): NewDelivery {
  return {
    trigger,
    source: "webhook",
    key,
    payload: { action: "opened", number: 7 },
    headers: { "x-github-event": "pull_request" },
    ...overrides,
  };
}

/**
 * @param ms How long.
 * @returns Resolves after `ms`.
 */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Resolves with `what` when it settles within 30 s, else rejects naming it.
 *
 * @param what A promise that should settle soon.
 * @param name What it is, for the failure.
 * @returns Its value.
 */
export async function soon<T>(what: Promise<T>, name: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${name} did not end within 30 s`)), 30_000);
  });
  try {
    return await Promise.race([what, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Whether `what` is still pending after `ms`.
 *
 * @param what A promise.
 * @param ms How long to watch it.
 * @returns `true` when it did not settle in that time.
 */
export async function stillPending(what: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const pending = await Promise.race([
    what.then(() => false),
    new Promise<boolean>((resolve) => timer = setTimeout(resolve, ms, true)),
  ]);
  clearTimeout(timer);
  return pending;
}
