/**
 * Opens the WorkOS backend from the environment, with the variable names
 * AuthKit itself reads, so the app that signs users in and the services
 * that check them share one `.env`.
 *
 * @module
 */
import { NetScriptError } from "@netscript/contracts/errors";
import type { AuthBackendPort, AuthErrorCode } from "@netscript/plugin-auth-core";
import { type EnvReader, readVariable } from "@netscript/store";
import type { Logger } from "@netscript/telemetry";
import { createWorkosBackend } from "./workos_backend.ts";
import { MIN_COOKIE_PASSWORD_LENGTH } from "./workos_backend_options.ts";

/** Options of {@linkcode openWorkosBackend}. */
export interface OpenWorkosBackendOptions {
  /**
   * Where refused cookies and refreshes are logged.
   * @default {a JSON logger for the service "auth-workos"}
   */
  readonly logger?: Logger | undefined;
}

/** The variables the backend cannot start without. */
const REQUIRED = ["WORKOS_API_KEY", "WORKOS_CLIENT_ID", "WORKOS_COOKIE_PASSWORD"] as const;

/** `host` or `host:port`, the host a name, an IPv4 address or a bracketed IPv6 one. */
const HOST_PORT = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?$/i;

/** Hosts reached over plain http unless `WORKOS_API_HTTPS` says otherwise. */
const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/**
 * Opens the WorkOS backend with its settings from the environment:
 * `WORKOS_API_KEY`, `WORKOS_CLIENT_ID` and `WORKOS_COOKIE_PASSWORD` (at
 * least 32 characters), and optionally `WORKOS_API_HOSTNAME` (`host` or
 * `host:port`, e.g. `127.0.0.1:4020` for a local stand-in),
 * `WORKOS_API_HTTPS` (`true` or `false`; by default `false` for a loopback
 * host, else `true`), `WORKOS_COOKIE_NAME` (default `wos-session`),
 * `WORKOS_COOKIE_DOMAIN` and `WORKOS_COOKIE_MAX_AGE` (seconds).
 *
 * @param env Where to read the variables.
 * @param options Where to log.
 * @returns The backend.
 * @throws {NetScriptError} `AUTH_SETTING_MISSING` naming every required
 * variable that is unset; `AUTH_SETTING_INVALID` naming the variable that
 * holds something unusable (a secret's value is never quoted).
 *
 * @example
 * ```ts
 * import { openWorkosBackend } from "@netscript/auth-workos";
 * import { envFrom } from "@netscript/store";
 *
 * const backend = await openWorkosBackend(envFrom({
 *   WORKOS_API_KEY: "sk_test_example",
 *   WORKOS_CLIENT_ID: "client_example",
 *   WORKOS_COOKIE_PASSWORD: "a-password-of-at-least-32-characters!",
 * }));
 * console.log(backend.name, [...backend.capabilities]); // "workos" ["refresh"]
 * await backend.close();
 * ```
 */
export async function openWorkosBackend(
  env: EnvReader,
  options: OpenWorkosBackendOptions = {},
): Promise<AuthBackendPort> {
  const missing = REQUIRED.filter((name) => readVariable(env, name) === undefined);
  if (missing.length > 0) {
    throw new NetScriptError<AuthErrorCode>(
      "AUTH_SETTING_MISSING",
      `The workos auth backend needs ${missing.join(", ")}: set ${
        missing.length === 1 ? "it" : "them"
      } in the environment or the workspace's .env file to the values AuthKit's sign-in uses, and restart`,
      { details: { backend: "workos", variables: missing } },
    );
  }
  const cookiePassword = readVariable(env, "WORKOS_COOKIE_PASSWORD")!;
  if (cookiePassword.length < MIN_COOKIE_PASSWORD_LENGTH) {
    throw _invalid(
      "WORKOS_COOKIE_PASSWORD",
      `it is shorter than ${MIN_COOKIE_PASSWORD_LENGTH} characters`,
    );
  }
  return await createWorkosBackend({
    apiKey: readVariable(env, "WORKOS_API_KEY")!,
    clientId: readVariable(env, "WORKOS_CLIENT_ID")!,
    cookiePassword,
    ..._api(env),
    cookieName: readVariable(env, "WORKOS_COOKIE_NAME"),
    cookieDomain: readVariable(env, "WORKOS_COOKIE_DOMAIN"),
    cookieMaxAgeSeconds: _seconds(env, "WORKOS_COOKIE_MAX_AGE"),
    logger: options.logger,
  });
}

/** Where the WorkOS API is, from `WORKOS_API_HOSTNAME` and `WORKOS_API_HTTPS`. */
function _api(env: EnvReader): { apiHostname?: string; apiPort?: number; https?: boolean } {
  const value = readVariable(env, "WORKOS_API_HOSTNAME");
  const https = _boolean(env, "WORKOS_API_HTTPS");
  if (value === undefined) return https === undefined ? {} : { https };
  const match = HOST_PORT.exec(value);
  const port = match?.[2] === undefined ? undefined : Number(match[2]);
  if (match === null || (port !== undefined && (port < 1 || port > 65535))) {
    throw _invalid(
      "WORKOS_API_HOSTNAME",
      `${JSON.stringify(value.slice(0, 200))} is not a host or host:port such as 127.0.0.1:4020`,
    );
  }
  const apiHostname = match[1]!;
  return {
    apiHostname,
    ...(port === undefined ? {} : { apiPort: port }),
    https: https ?? !LOOPBACK.test(apiHostname),
  };
}

function _boolean(env: EnvReader, name: string): boolean | undefined {
  const value = readVariable(env, name)?.trim().toLowerCase();
  if (value === undefined) return undefined;
  if (value === "true" || value === "false") return value === "true";
  throw _invalid(name, `${JSON.stringify(value.slice(0, 50))} is neither true nor false`);
}

function _seconds(env: EnvReader, name: string): number | undefined {
  const value = readVariable(env, name);
  if (value === undefined) return undefined;
  if (!/^[1-9]\d{0,9}$/.test(value.trim())) {
    throw _invalid(
      name,
      `${JSON.stringify(value.slice(0, 50))} is not a positive whole number of seconds`,
    );
  }
  return Number(value.trim());
}

function _invalid(variable: string, why: string): NetScriptError<AuthErrorCode> {
  return new NetScriptError<AuthErrorCode>(
    "AUTH_SETTING_INVALID",
    `${variable} cannot be used by the workos auth backend: ${why}. Fix it and restart`,
    { details: { backend: "workos", variable } },
  );
}
