/**
 * What the backend needs from the better-auth app's database: its
 * `session` table joined with `user`, read and deleted by parameterised
 * statements. One implementation per database the app may use.
 *
 * @module
 */
import type { SessionRow } from "./_session_row.ts";

/** The app's session table. Every method throws a store error when the database cannot be used. */
export interface SessionTable {
  /**
   * The session with this token that ends after `now`, with its user.
   *
   * @param token The session token (`session.token`).
   * @param now The current time.
   * @returns The row, or `undefined`.
   */
  findByToken(token: string, now: Date): Promise<SessionRow | undefined>;
  /**
   * A user's sessions that end after `now`, newest first.
   *
   * @param userId The user's id.
   * @param now The current time.
   * @returns The rows.
   */
  listByUser(userId: string, now: Date): Promise<SessionRow[]>;
  /**
   * Deletes one session of one user.
   *
   * @param userId The user the session must belong to.
   * @param sessionId The session's id.
   * @returns Whether a row was deleted.
   */
  deleteOfUser(userId: string, sessionId: string): Promise<boolean>;
  /**
   * Deletes the session with this token.
   *
   * @param token The session token.
   * @returns Whether a row was deleted.
   */
  deleteByToken(token: string): Promise<boolean>;
  /** Releases the connection or file. */
  close(): Promise<void>;
}
