/**
 * What a guard remembers of the sessions it checked with `auth-api`, and
 * when it may: only while it is subscribed to the revocation feed (so
 * every ended session reaches it), each session for at most a time to
 * live and never past its own expiry, the oldest forgotten first when full.
 *
 * @module
 */
import type { Principal } from "@netscript/contracts";

/** A signed-in user's principal. */
export type UserPrincipal = Extract<Principal, { kind: "user" }>;

interface Remembered {
  readonly principal: UserPrincipal;
  readonly until: number;
}

/** Sessions a guard checked, by the credentials (cookie and authorization) that proved them. */
export class SessionMemory {
  readonly #sessions = new Map<string, Remembered>();
  readonly #keysBySession = new Map<string, Set<string>>();
  readonly #ttlMs: number;
  readonly #max: number;
  #live = false;
  /** Changes whenever what may be remembered changes: a check started before may not be kept. */
  #epoch = 0;

  /**
   * @param ttlMs How long a session is remembered; `0` remembers nothing.
   * @param max The most sessions remembered; `0` remembers nothing.
   */
  constructor(ttlMs: number, max: number) {
    this.#ttlMs = ttlMs;
    this.#max = max;
  }

  /** Whether it remembers anything at all (a time to live and a room above zero). */
  get enabled(): boolean {
    return this.#ttlMs > 0 && this.#max > 0;
  }

  /** The moment a check starts: hand it to {@linkcode SessionMemory.keep} once it is done. */
  get epoch(): number {
    return this.#epoch;
  }

  /**
   * The session proved by `key`, when it is remembered and still valid.
   *
   * @param key The request's credentials.
   * @returns The principal, or `undefined`.
   */
  recall(key: string): UserPrincipal | undefined {
    if (!this.#live) return undefined;
    const remembered = this.#sessions.get(key);
    if (remembered === undefined) return undefined;
    if (remembered.until > Date.now()) return remembered.principal;
    this.#forgetKey(key);
    return undefined;
  }

  /**
   * Remembers a session `auth-api` vouched for, unless the feed is down or
   * something changed since the check started.
   *
   * @param key The request's credentials.
   * @param principal The user `auth-api` answered.
   * @param startedAt {@linkcode SessionMemory.epoch} when the check started.
   */
  keep(key: string, principal: UserPrincipal, startedAt: number): void {
    if (!this.#live || startedAt !== this.#epoch || !this.enabled) return;
    this.#forgetKey(key);
    if (this.#sessions.size >= this.#max) this.#forgetKey(this.#sessions.keys().next().value!);
    const until = Math.min(Date.now() + this.#ttlMs, principal.expiresAt.getTime());
    this.#sessions.set(key, { principal, until });
    let keys = this.#keysBySession.get(principal.sessionId);
    if (keys === undefined) this.#keysBySession.set(principal.sessionId, keys = new Set());
    keys.add(key);
  }

  /**
   * Forgets ended sessions.
   *
   * @param ids The sessions' ids.
   */
  forgetSessions(ids: readonly string[]): void {
    this.#epoch++;
    for (const id of ids) {
      for (const key of this.#keysBySession.get(id) ?? []) this.#sessions.delete(key);
      this.#keysBySession.delete(id);
    }
  }

  /** The feed is subscribed: start afresh, and remember from now on. */
  open(): void {
    this.#reset();
    this.#live = true;
  }

  /** The feed is lost (or the guard closed): forget everything, and remember nothing until it is back. */
  lose(): void {
    this.#reset();
    this.#live = false;
  }

  #reset(): void {
    this.#epoch++;
    this.#sessions.clear();
    this.#keysBySession.clear();
  }

  #forgetKey(key: string): void {
    const remembered = this.#sessions.get(key);
    if (remembered === undefined) return;
    this.#sessions.delete(key);
    const keys = this.#keysBySession.get(remembered.principal.sessionId);
    keys?.delete(key);
    if (keys?.size === 0) this.#keysBySession.delete(remembered.principal.sessionId);
  }
}
