/**
 * A job kind's room under its `kindLimit`. Claims of a name with a limit
 * take turns through the name's `kind-claims` counter: each reads it, then
 * counts the live leases of the name, and commits its jobs in an operation
 * that checks the counter is unchanged and bumps it. A claim that another
 * limited claim of the name overtook fails its check and counts again, so
 * together they never exceed the limit. Nothing else writes the counter, so
 * finishing, failing, releasing and renewing a job cost no more than before.
 *
 * @module
 */
import type { KeySpace } from "./_key_space.ts";

/** What a claim under a `kindLimit` read: the room left, and the counter its commit checks. */
export interface KindRoom {
  /** How many more jobs of the name may run now (zero or less when none). */
  readonly room: number;
  /** The name's `kind-claims` counter as read before the leases were counted. */
  readonly claims: Deno.AtomicCheck;
}

/**
 * Reads a job name's room under its limit: the limit minus its jobs running
 * under a lease that has not run out, whichever worker holds them. The
 * counter is read first, so a limited claim committed after the count
 * changes the counter this claim checks.
 *
 * @param kv The store.
 * @param keys The queue's keys.
 * @param name The job name.
 * @param kindLimit How many of its jobs may run at once (a positive integer).
 * @param nowMs The current time: leases that end by then no longer count.
 * @returns The room and the counter to check.
 */
export async function readKindRoom(
  kv: Deno.Kv,
  keys: KeySpace,
  name: string,
  kindLimit: number,
  nowMs: number,
): Promise<KindRoom> {
  const { key, versionstamp } = await kv.get(keys.kindClaims(name));
  const live = await Array.fromAsync(kv.list(
    { prefix: keys.leasesOf(name), start: keys.leasesExpiredEnd(name, nowMs) },
    { limit: kindLimit },
  ));
  return { room: kindLimit - live.length, claims: { key, versionstamp } };
}
