/**
 * A better-auth session row joined with its user, as both databases return
 * it, and the {@linkcode AuthSession} it becomes.
 *
 * @module
 */
import type { AuthSession } from "@netscript/plugin-auth-core";

/** The backend's name, as `NETSCRIPT_AUTH_BACKEND` selects it. */
export const BACKEND_NAME = "better-auth";

/**
 * One row of `session` joined with `user`: every user column (`u.*`, so a
 * `role` column is there when the app has one) and the session's own
 * columns under aliases that cannot collide with them.
 */
export interface SessionRow {
  /** `user.id`. */
  readonly id: unknown;
  /** `user.email`. */
  readonly email?: unknown;
  /** `user.name`. */
  readonly name?: unknown;
  /** `user.role`, when the app has the column (better-auth's admin plugin adds it). */
  readonly role?: unknown;
  /** `session.id`. */
  readonly __sessionId: unknown;
  /** `session."createdAt"`: a `Date` on PostgreSQL, ISO-8601 text on SQLite. */
  readonly __sessionCreatedAt: unknown;
  /** `session."expiresAt"`: a `Date` on PostgreSQL, ISO-8601 text on SQLite. */
  readonly __sessionExpiresAt: unknown;
}

/** The select list both dialects use: the user's columns, then the session's under aliases. */
export const SESSION_COLUMNS = `u.*, s.id as "__sessionId", ` +
  `s."createdAt" as "__sessionCreatedAt", s."expiresAt" as "__sessionExpiresAt"`;

/**
 * The session a row describes. The roles are the user's `role` column
 * split at commas, as better-auth's admin plugin stores several roles.
 *
 * @param row The joined row.
 * @returns The session.
 */
export function toAuthSession(row: SessionRow): AuthSession {
  return {
    id: String(row.__sessionId),
    user: {
      id: String(row.id),
      email: _text(row.email),
      name: _text(row.name),
      roles: (_text(row.role) ?? "").split(",").map((role) => role.trim()).filter((role) =>
        role !== ""
      ),
    },
    backend: BACKEND_NAME,
    createdAt: _date(row.__sessionCreatedAt),
    expiresAt: _date(row.__sessionExpiresAt),
    scopes: [],
  };
}

function _text(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

function _date(value: unknown): Date {
  return value instanceof Date ? value : new Date(value as string | number);
}
