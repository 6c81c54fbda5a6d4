/**
 * The session table of a better-auth app on PostgreSQL: camelCase quoted
 * columns, `timestamptz` dates.
 *
 * @module
 */
import type { Pool } from "pg";
import { storePool } from "@netscript/store/postgres";
import type { Logger } from "@netscript/telemetry";
import { SESSION_COLUMNS, type SessionRow } from "./_session_row.ts";
import type { SessionTable } from "./_session_table.ts";
import { postgresStoreError } from "./_store_errors.ts";

const FIND_BY_TOKEN = `select ${SESSION_COLUMNS} from "session" s ` +
  `join "user" u on u.id = s."userId" where s.token = $1 and s."expiresAt" > $2`;

const LIST_BY_USER = `select ${SESSION_COLUMNS} from "session" s ` +
  `join "user" u on u.id = s."userId" where s."userId" = $1 and s."expiresAt" > $2 ` +
  `order by s."createdAt" desc, s.id desc`;

const DELETE_OF_USER = `delete from "session" where id = $1 and "userId" = $2`;

const DELETE_BY_TOKEN = `delete from "session" where token = $1`;

/** The most connections the backend holds to the app's database. */
const MAX_CONNECTIONS = 5;

/**
 * Opens a pool on the app's database; no connection is made until the
 * first statement.
 *
 * @param url The `postgres://` URL.
 * @param logger Where a failing idle connection is reported.
 * @returns The table.
 * @throws {NetScriptError} `STORE_INVALID` when the URL does not parse (without its password).
 */
export function postgresSessionTable(url: string, logger: Logger): SessionTable {
  let closed = false;
  const { pool, target } = storePool({
    url,
    maxConnections: MAX_CONNECTIONS,
    defaultUrl: () => url,
    store: "the better-auth database",
    creator: "createBetterAuthBackend",
    onIdleError: (error) => {
      if (closed) return;
      logger.warn("an idle connection to the better-auth database failed", {
        error: postgresStoreError(error, target),
      });
    },
  });
  const rows = async (sql: string, values: unknown[]): Promise<SessionRow[]> =>
    (await _query<SessionRow & Record<string, unknown>>(pool, target, sql, values)).rows;
  const deleted = async (sql: string, values: unknown[]): Promise<boolean> =>
    ((await _query(pool, target, sql, values)).rowCount ?? 0) > 0;
  return {
    findByToken: async (token, now) => (await rows(FIND_BY_TOKEN, [token, now]))[0],
    listByUser: (userId, now) => rows(LIST_BY_USER, [userId, now]),
    deleteOfUser: (userId, sessionId) => deleted(DELETE_OF_USER, [sessionId, userId]),
    deleteByToken: (token) => deleted(DELETE_BY_TOKEN, [token]),
    close: async () => {
      closed = true;
      await pool.end();
    },
  };
}

async function _query<T extends Record<string, unknown>>(
  pool: Pool,
  target: string,
  sql: string,
  values: unknown[],
): Promise<{ rows: T[]; rowCount: number | null }> {
  try {
    return await pool.query<T>(sql, values);
  } catch (error) {
    throw postgresStoreError(error, target);
  }
}
