/**
 * Who is signed in: the user and the session the auth port hands to the
 * services, whichever backend made them.
 *
 * @module
 */

/** A signed-in user, as the identity provider describes them. */
export interface AuthUser {
  /** The provider's stable id for the user (the OIDC `sub`). */
  readonly id: string;
  /** Their email address, when the provider gave one. */
  readonly email: string | null;
  /** Their display name, when the provider gave one. */
  readonly name: string | null;
  /** The roles the provider grants them (empty when it names none). */
  readonly roles: readonly string[];
}

/** One signed-in session of a user. */
export interface AuthSession {
  /** The session's id: what `DELETE /api/sessions/{id}` revokes. */
  readonly id: string;
  /** Whose session it is. */
  readonly user: AuthUser;
  /** The backend that made it, e.g. `kv-oauth`. */
  readonly backend: string;
  /** When it began. */
  readonly createdAt: Date;
  /** When it ends unless refreshed or revoked first. */
  readonly expiresAt: Date;
  /** The scopes or permissions it carries (empty when the provider names none). */
  readonly scopes: readonly string[];
}
