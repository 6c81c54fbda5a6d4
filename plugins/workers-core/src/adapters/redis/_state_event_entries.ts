/**
 * The watched pairs and state events as the `watched` set and the
 * `events` stream hold them (see `_key_space.ts`).
 *
 * @module
 */
import type { StateEvent, WatchedState } from "@netscript/store";

/** One stream entry as `XRANGE` returns it: its id, then its fields and values, alternating. */
export type StreamEntry = [id: string, fields: string[]];

/** The largest part of a stream id, an unsigned 64-bit integer. */
const MAX_ID_PART = 2n ** 64n - 1n;

/**
 * The members of the `watched` set for some pairs, each once.
 *
 * @param watched The pairs.
 * @returns The members, `<name>` NUL `<state>`.
 */
export function watchedMembers(watched: readonly WatchedState[]): string[] {
  return [...new Set(watched.map(({ name, state }) => `${name}\0${state}`))];
}

/**
 * Converts a stream entry to its event. The `error` field is absent when
 * the event has none, so an empty error stays an empty string.
 *
 * @param entry The entry.
 * @returns The event.
 */
export function toStateEvent([id, flat]: StreamEntry): StateEvent {
  const fields = new Map<string, string>();
  for (let i = 0; i + 1 < flat.length; i += 2) fields.set(flat[i]!, flat[i + 1]!);
  return {
    id,
    name: fields.get("name")!,
    subject: fields.get("subject")!,
    state: fields.get("state")!,
    error: fields.get("error") ?? null,
    at: new Date(Number(fields.get("at"))),
  };
}

/**
 * Whether a string is a stream id as Redis writes it, `<ms>-<seq>`: two
 * unsigned 64-bit integers without leading zeros. Other strings cannot
 * name an event, and `XDEL` would refuse them.
 *
 * @param id The string.
 * @returns `true` for a stream id.
 */
export function isStreamId(id: string): boolean {
  const match = /^(0|[1-9]\d{0,19})-(0|[1-9]\d{0,19})$/.exec(id);
  return match !== null && BigInt(match[1]!) <= MAX_ID_PART && BigInt(match[2]!) <= MAX_ID_PART;
}
