/**
 * The session table of a better-auth app on SQLite (`node:sqlite`): the
 * same camelCase columns, dates as ISO-8601 text, so the expiry check
 * compares text in that format.
 *
 * @module
 */
import { DatabaseSync } from "node:sqlite";
import { SESSION_COLUMNS, type SessionRow } from "./_session_row.ts";
import type { SessionTable } from "./_session_table.ts";
import { sqliteStoreError, sqliteUnavailableError } from "./_store_errors.ts";

const FIND_BY_TOKEN = `select ${SESSION_COLUMNS} from "session" s ` +
  `join "user" u on u.id = s."userId" where s.token = ? and s."expiresAt" > ?`;

const LIST_BY_USER = `select ${SESSION_COLUMNS} from "session" s ` +
  `join "user" u on u.id = s."userId" where s."userId" = ? and s."expiresAt" > ? ` +
  `order by s."createdAt" desc, s.id desc`;

const DELETE_OF_USER = `delete from "session" where id = ? and "userId" = ?`;

const DELETE_BY_TOKEN = `delete from "session" where token = ?`;

/** How long a statement waits for the app's write lock on the file. */
const BUSY_TIMEOUT_MS = 5_000;

/**
 * The app's SQLite file, opened at the first statement (and again after a
 * failed open), never created: a path naming no file is a store error.
 *
 * @param path The file.
 * @returns The table.
 */
export function sqliteSessionTable(path: string): SessionTable {
  let database: DatabaseSync | undefined;
  const run = <T>(use: (database: DatabaseSync) => T): Promise<T> => {
    try {
      database ??= _open(path);
      return Promise.resolve(use(database));
    } catch (error) {
      return Promise.reject(sqliteStoreError(error, path));
    }
  };
  return {
    findByToken: (token, now) =>
      run((db) =>
        db.prepare(FIND_BY_TOKEN).get(token, now.toISOString()) as SessionRow | undefined
      ),
    listByUser: (userId, now) =>
      run((db) =>
        db.prepare(LIST_BY_USER).all(userId, now.toISOString()) as unknown as SessionRow[]
      ),
    deleteOfUser: (userId, sessionId) =>
      run((db) => Number(db.prepare(DELETE_OF_USER).run(sessionId, userId).changes) > 0),
    deleteByToken: (token) =>
      run((db) => Number(db.prepare(DELETE_BY_TOKEN).run(token).changes) > 0),
    close: () => {
      database?.close();
      database = undefined;
      return Promise.resolve();
    },
  };
}

function _open(path: string): DatabaseSync {
  let isFile = false;
  try {
    isFile = Deno.statSync(path).isFile;
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  if (!isFile) throw sqliteUnavailableError("no file is there", path);
  return new DatabaseSync(path, { timeout: BUSY_TIMEOUT_MS });
}
