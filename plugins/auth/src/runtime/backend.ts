/**
 * Which auth backend `auth-api` runs: the one `NETSCRIPT_AUTH_BACKEND`
 * names, loaded only when selected, so a workspace on WorkOS never loads
 * the OpenID Connect client and the other way round.
 *
 * @module
 */
import { NetScriptError } from "@netscript/contracts/errors";
import type { AuthBackendPort } from "@netscript/plugin-auth-core";
import type { EnvReader } from "@netscript/store";
import type { Logger } from "@netscript/telemetry";
import type { AuthPluginErrorCode } from "../auth_plugin_error_codes.ts";

/** The backends `NETSCRIPT_AUTH_BACKEND` selects, the default first. */
export const AUTH_BACKENDS = ["kv-oauth", "workos", "better-auth"] as const;

/** One of {@linkcode AUTH_BACKENDS}. */
export type AuthBackendName = typeof AUTH_BACKENDS[number];

/**
 * Opens the backend the environment selects (`NETSCRIPT_AUTH_BACKEND`,
 * default `kv-oauth`), with its own settings from the same environment.
 *
 * @param env Where the process reads variables.
 * @param logger Where the backend logs.
 * @returns The backend.
 * @throws {NetScriptError} `AUTH_BACKEND_UNKNOWN` for another name; the
 * backend's `AUTH_SETTING_MISSING` and `AUTH_SETTING_INVALID`.
 *
 * @example
 * ```ts ignore
 * import { openAuthBackend } from "@netscript/plugin-auth";
 * import { processEnv } from "@netscript/store";
 * import { createLogger } from "@netscript/telemetry";
 *
 * const backend = await openAuthBackend(processEnv, createLogger({ service: "auth-api" }));
 * console.log(backend.name, [...backend.capabilities]);
 * ```
 */
export async function openAuthBackend(env: EnvReader, logger: Logger): Promise<AuthBackendPort> {
  const name = (env.get("NETSCRIPT_AUTH_BACKEND") ?? "").trim() || "kv-oauth";
  switch (name) {
    case "kv-oauth":
      return await (await import("@netscript/auth-kv-oauth")).openKvOAuthBackend(env, { logger });
    case "workos":
      return await (await import("@netscript/auth-workos")).openWorkosBackend(env, { logger });
    case "better-auth":
      return await (await import("@netscript/auth-better-auth")).openBetterAuthBackend(env, {
        logger,
      });
    default:
      throw new NetScriptError<AuthPluginErrorCode>(
        "AUTH_BACKEND_UNKNOWN",
        `NETSCRIPT_AUTH_BACKEND is ${JSON.stringify(name.slice(0, 100))}: it must be one of ${
          AUTH_BACKENDS.join(", ")
        }`,
        { details: { variable: "NETSCRIPT_AUTH_BACKEND", known: [...AUTH_BACKENDS] } },
      );
  }
}
