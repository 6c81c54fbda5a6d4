/**
 * Opening the better-auth backend from the environment, as `auth-api` and
 * the services do when `NETSCRIPT_AUTH_BACKEND=better-auth`.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { NetScriptError } from "@netscript/contracts/errors";
import type { AuthBackendPort, AuthErrorCode } from "@netscript/plugin-auth-core";
import { type EnvReader, readVariable } from "@netscript/store";
import type { Logger } from "@netscript/telemetry";
import {
  type BetterAuthDatabase,
  createBetterAuthBackend,
  MIN_SECRET_LENGTH,
} from "./create_better_auth_backend.ts";

/** Options of {@linkcode openBetterAuthBackend}. */
export interface OpenBetterAuthBackendOptions {
  /**
   * Where the backend logs.
   * @default {a JSON logger for the service "auth-better-auth"}
   */
  readonly logger?: Logger | undefined;
}

/** The app's secret. */
const SECRET = "BETTER_AUTH_SECRET";

/** The app's database. */
const DATABASE_URL = "BETTER_AUTH_DATABASE_URL";

/** A URL scheme followed by `//`, e.g. `postgres://`. */
const URL_SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;

/**
 * Opens the better-auth backend on the settings in the environment:
 * `BETTER_AUTH_SECRET` (the app's secret, at least 32 characters) and
 * `BETTER_AUTH_DATABASE_URL` (the app's database: a `postgres://` or
 * `postgresql://` URL, or an SQLite file as a `file:` URL or a path).
 *
 * @param env Where to read the settings.
 * @param options Where to log.
 * @returns The backend.
 * @throws {NetScriptError} `AUTH_SETTING_MISSING` or `AUTH_SETTING_INVALID`, naming the
 * variable (never the secret, nor the database URL, which may hold a password).
 *
 * @example
 * ```ts
 * import { openBetterAuthBackend } from "@netscript/auth-better-auth";
 * import { envFrom } from "@netscript/store";
 *
 * const backend = await openBetterAuthBackend(envFrom({
 *   BETTER_AUTH_SECRET: "a-random-secret-of-at-least-32-characters",
 *   BETTER_AUTH_DATABASE_URL: "postgres://app@127.0.0.1:5432/app",
 * }));
 * console.log(backend.name, [...backend.capabilities]); // "better-auth" ["manage-sessions"]
 * await backend.close();
 * ```
 */
export async function openBetterAuthBackend(
  env: EnvReader,
  options: OpenBetterAuthBackendOptions = {},
): Promise<AuthBackendPort> {
  const secret = _required(env, SECRET);
  if (secret.length < MIN_SECRET_LENGTH) {
    throw _invalid(
      SECRET,
      `${SECRET} is shorter than ${MIN_SECRET_LENGTH} characters: set it to the better-auth app's secret`,
    );
  }
  return await createBetterAuthBackend({
    secret,
    database: _database(_required(env, DATABASE_URL)),
    logger: options.logger,
  });
}

function _required(env: EnvReader, variable: string): string {
  const value = readVariable(env, variable)?.trim();
  if (value === undefined || value === "") {
    throw new NetScriptError<AuthErrorCode>(
      "AUTH_SETTING_MISSING",
      `${variable} is not set: the better-auth backend needs ${
        variable === SECRET
          ? "the better-auth app's secret"
          : "the better-auth app's database (a postgres:// URL, or the SQLite file as a file: URL or a path)"
      }`,
      { details: { variable } },
    );
  }
  return value;
}

/**
 * The database a `BETTER_AUTH_DATABASE_URL` names.
 *
 * @param value The variable's value.
 * @returns The database.
 */
function _database(value: string): BetterAuthDatabase {
  const scheme = URL_SCHEME.exec(value)?.[1]?.toLowerCase();
  if (scheme === "postgres" || scheme === "postgresql") return { kind: "postgres", url: value };
  if (scheme !== undefined && scheme !== "file") {
    throw _invalid(
      DATABASE_URL,
      `${DATABASE_URL} has the scheme "${scheme}:": give the better-auth app's PostgreSQL database as a postgres:// URL, or its SQLite file as a file: URL or a path`,
    );
  }
  const path = _sqlitePath(value);
  if (path === "" || path === ":memory:") {
    throw _invalid(
      DATABASE_URL,
      `${DATABASE_URL} names no SQLite file: give the path of the file the better-auth app writes`,
    );
  }
  return { kind: "sqlite", path };
}

function _sqlitePath(value: string): string {
  if (/^file:\/\//i.test(value)) {
    try {
      return fileURLToPath(value);
    } catch {
      throw _invalid(DATABASE_URL, `${DATABASE_URL} is a file: URL that names no local file`);
    }
  }
  return /^file:/i.test(value) ? value.slice("file:".length).replace(/\?.*$/, "") : value;
}

function _invalid(variable: string, message: string): NetScriptError<AuthErrorCode> {
  return new NetScriptError<AuthErrorCode>("AUTH_SETTING_INVALID", message, {
    details: { variable },
  });
}
