/**
 * Where the backend keeps sign-ins in progress and sessions, in Deno KV:
 *
 * - `["auth", "sign-in", id]`: a pending sign-in, read and deleted in one
 *   checked commit by the callback, so it is used at most once;
 * - `["auth", "session", sessionId]`: a session, with `expireIn`;
 * - `["auth", "user-session", userId, sessionId]`: the user's index entry,
 *   with the same expiry, to list and revoke their sessions.
 *
 * Records also carry their end time, checked on every read, as KV deletes
 * expired keys only eventually.
 *
 * @module
 */
import type { AuthUser } from "@netscript/plugin-auth-core";
import type { StoreErrorOptions } from "@netscript/store";
import { commitAtomic, readMany } from "@netscript/store/kv";

/** A sign-in begun in a browser and not yet finished. */
export interface PendingSignIn {
  /** The `state` sent to the provider. */
  readonly state: string;
  /** The `nonce` the ID token must carry. */
  readonly nonce: string;
  /** The PKCE verifier. */
  readonly codeVerifier: string;
  /** The checked path to return to. */
  readonly redirectTo: string;
  /** The callback URL the authorization request named. */
  readonly redirectUri: string;
  /** When it lapses (epoch milliseconds). */
  readonly expiresAt: number;
}

/** A session as stored. */
export interface SessionRecord {
  /** The user's id (the OIDC `sub`). */
  readonly userId: string;
  /** The user. */
  readonly user: AuthUser;
  /** When it began (epoch milliseconds). */
  readonly createdAt: number;
  /** When it ends (epoch milliseconds). */
  readonly expiresAt: number;
  /** The granted scopes. */
  readonly scopes: readonly string[];
  /** The refresh token, sealed by `RefreshTokenCipher`, or `null` when none was issued. */
  readonly refreshToken: string | null;
}

/** A stored session, with the version a later write checks. */
export interface SessionEntry {
  /** The session's id. */
  readonly id: string;
  /** The record. */
  readonly record: SessionRecord;
  /** KV's version of the record. */
  readonly versionstamp: string;
}

const SIGN_IN = "sign-in";
const SESSION = "session";
const USER_SESSION = "user-session";

/** The backend's records in a Deno KV store. */
export class SessionStore {
  readonly #kv: Deno.Kv;
  readonly #now: () => number;
  readonly #errors: StoreErrorOptions = {
    driver: "kv",
    target: "the auth store",
    dependency: "auth session store",
  };

  /**
   * Wraps a store.
   *
   * @param kv The store.
   * @param now The clock that decides what has ended, in epoch milliseconds.
   */
  constructor(kv: Deno.Kv, now: () => number) {
    this.#kv = kv;
    this.#now = now;
  }

  /**
   * Keeps a pending sign-in until it lapses.
   *
   * @param id Its id (the sign-in cookie's value).
   * @param pending The sign-in.
   */
  async savePending(id: string, pending: PendingSignIn): Promise<void> {
    await commitAtomic(
      this.#kv.atomic().set(["auth", SIGN_IN, id], pending, {
        expireIn: pending.expiresAt - this.#now(),
      }),
      this.#errors,
    );
  }

  /**
   * Reads and deletes a pending sign-in in one checked commit: of two
   * callbacks for the same sign-in, one gets it and the other `null`.
   *
   * @param id Its id.
   * @returns The sign-in, or `null` when there is none (or it was just taken).
   */
  async takePending(id: string): Promise<PendingSignIn | null> {
    const key = ["auth", SIGN_IN, id];
    const entry = await this.#kv.get<PendingSignIn>(key);
    if (entry.value === null) return null;
    const result = await commitAtomic(this.#kv.atomic().check(entry).delete(key), this.#errors);
    return result.ok ? entry.value : null;
  }

  /**
   * Stores a new session and its index entry.
   *
   * @param id The session's id.
   * @param record The session.
   */
  async createSession(id: string, record: SessionRecord): Promise<void> {
    const expireIn = record.expiresAt - this.#now();
    await commitAtomic(
      this.#kv.atomic()
        .check({ key: ["auth", SESSION, id], versionstamp: null })
        .set(["auth", SESSION, id], record, { expireIn })
        .set(["auth", USER_SESSION, record.userId, id], record.expiresAt, { expireIn }),
      this.#errors,
    );
  }

  /**
   * Reads a session that has not ended.
   *
   * @param id The session's id.
   * @returns The session, or `null`.
   */
  async readSession(id: string): Promise<SessionEntry | null> {
    const entry = await this.#kv.get<SessionRecord>(["auth", SESSION, id]);
    if (entry.value === null || entry.value.expiresAt <= this.#now()) return null;
    return { id, record: entry.value, versionstamp: entry.versionstamp };
  }

  /**
   * Replaces a session, unless it changed since it was read.
   *
   * @param entry The session as read.
   * @param record Its new record (same user).
   * @returns `false` when it changed or ended meanwhile; nothing was written.
   */
  async replaceSession(entry: SessionEntry, record: SessionRecord): Promise<boolean> {
    const expireIn = record.expiresAt - this.#now();
    const result = await commitAtomic(
      this.#kv.atomic()
        .check({ key: ["auth", SESSION, entry.id], versionstamp: entry.versionstamp })
        .set(["auth", SESSION, entry.id], record, { expireIn })
        .set(["auth", USER_SESSION, record.userId, entry.id], record.expiresAt, { expireIn }),
      this.#errors,
    );
    return result.ok;
  }

  /**
   * Deletes a session and its index entry, whatever changed since it was
   * read (a refresh under way then finds it gone).
   *
   * @param entry The session as read.
   */
  async deleteSession(entry: SessionEntry): Promise<void> {
    await commitAtomic(
      this.#kv.atomic()
        .delete(["auth", SESSION, entry.id])
        .delete(["auth", USER_SESSION, entry.record.userId, entry.id]),
      this.#errors,
    );
  }

  /**
   * Deletes a session and its index entry, unless it changed since it was read.
   *
   * @param entry The session as read.
   * @returns `false` when it changed meanwhile; nothing was deleted.
   */
  async deleteSessionIfUnchanged(entry: SessionEntry): Promise<boolean> {
    const result = await commitAtomic(
      this.#kv.atomic()
        .check({ key: ["auth", SESSION, entry.id], versionstamp: entry.versionstamp })
        .delete(["auth", SESSION, entry.id])
        .delete(["auth", USER_SESSION, entry.record.userId, entry.id]),
      this.#errors,
    );
    return result.ok;
  }

  /**
   * The sessions of a user that have not ended, newest first.
   *
   * @param userId The user.
   * @returns Their sessions.
   */
  async listSessions(userId: string): Promise<SessionEntry[]> {
    const now = this.#now();
    const ids: string[] = [];
    for await (const entry of this.#kv.list({ prefix: ["auth", USER_SESSION, userId] })) {
      ids.push(String(entry.key[3]));
    }
    const entries = await readMany<SessionRecord>(
      this.#kv,
      ids.map((id) => ["auth", SESSION, id]),
    );
    const sessions: SessionEntry[] = [];
    entries.forEach((entry, index) => {
      const record = entry.value;
      if (record === null || record.userId !== userId || record.expiresAt <= now) return;
      sessions.push({ id: ids[index]!, record, versionstamp: entry.versionstamp! });
    });
    return sessions.sort((a, b) => b.record.createdAt - a.record.createdAt);
  }
}
