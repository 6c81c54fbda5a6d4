/**
 * {@linkcode openKvOAuthBackend}: the kv-oauth backend as the environment
 * configures it, with its own Deno KV file.
 *
 * @module
 */
import type { AuthBackendPort } from "@netscript/plugin-auth-core";
import { DATA_FOLDER, type EnvReader, readVariable } from "@netscript/store";
import { openKvFile } from "@netscript/store/kv";
import type { Logger } from "@netscript/telemetry";
import { KvOAuthBackend } from "./kv_oauth_backend.ts";
import { checkIssuer, checkPresent, checkPublicUrl, checkSecret } from "./kv_oauth_settings.ts";

/** The Deno KV file of sessions when `AUTH_KV_PATH` names none. */
export const DEFAULT_AUTH_KV_PATH: string = `${DATA_FOLDER}/auth.kv`;

/** Options of {@linkcode openKvOAuthBackend}. */
export interface OpenKvOAuthBackendOptions {
  /** Where refused sign-ins and ended sessions are reported. */
  readonly logger?: Logger | undefined;
}

/**
 * Opens the kv-oauth backend from the environment:
 *
 * - `AUTH_OIDC_ISSUER`: the provider's issuer URL (`https:`, or `http:` on
 *   127.0.0.1 or localhost);
 * - `AUTH_OIDC_CLIENT_ID` and `AUTH_OIDC_CLIENT_SECRET`: the client
 *   registered there, with `<public origin>/auth/callback` as its redirect URI;
 * - `AUTH_SECRET`: at least 32 characters, the key material of the
 *   refresh tokens' encryption;
 * - `AUTH_PUBLIC_URL` (optional): the site's public origin behind a proxy;
 * - `AUTH_KV_PATH` (optional): the Deno KV file of sign-ins and sessions,
 *   `.netscript/data/auth.kv` by default (its folder created).
 *
 * Settings are checked before the file is opened; `close()` closes it.
 *
 * @param env Where variables are read.
 * @param options Where events are reported.
 * @returns The backend.
 * @throws {NetScriptError} `AUTH_SETTING_MISSING` or `AUTH_SETTING_INVALID`,
 * naming the variable (never a secret's value); `STORE_UNAVAILABLE` when
 * the KV file cannot be opened.
 *
 * @example
 * ```ts
 * import { openKvOAuthBackend } from "@netscript/auth-kv-oauth";
 * import { envFrom } from "@netscript/store";
 *
 * const dir = await Deno.makeTempDir();
 * const backend = await openKvOAuthBackend(envFrom({
 *   AUTH_OIDC_ISSUER: "https://id.example.com",
 *   AUTH_OIDC_CLIENT_ID: "my-app",
 *   AUTH_OIDC_CLIENT_SECRET: "from-the-provider",
 *   AUTH_SECRET: "at-least-32-characters-of-random-text",
 *   AUTH_KV_PATH: `${dir}/auth.kv`,
 * }));
 * console.log(backend.name); // "kv-oauth"
 * await backend.close();
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function openKvOAuthBackend(
  env: EnvReader,
  options: OpenKvOAuthBackendOptions = {},
): Promise<AuthBackendPort> {
  const issuer = readVariable(env, "AUTH_OIDC_ISSUER");
  checkIssuer(issuer, "AUTH_OIDC_ISSUER");
  const clientId = checkPresent(readVariable(env, "AUTH_OIDC_CLIENT_ID"), "AUTH_OIDC_CLIENT_ID");
  const clientSecret = checkPresent(
    readVariable(env, "AUTH_OIDC_CLIENT_SECRET"),
    "AUTH_OIDC_CLIENT_SECRET",
  );
  const secret = checkSecret(readVariable(env, "AUTH_SECRET"), "AUTH_SECRET");
  const publicUrl = readVariable(env, "AUTH_PUBLIC_URL");
  if (publicUrl !== undefined) checkPublicUrl(publicUrl, "AUTH_PUBLIC_URL");
  const path = readVariable(env, "AUTH_KV_PATH") ?? DEFAULT_AUTH_KV_PATH;
  const kv = await openKvFile(path, { store: { dependency: "auth session store" } });
  return new KvOAuthBackend({
    issuer: issuer!,
    clientId,
    clientSecret,
    secret,
    kv,
    publicUrl,
    logger: options.logger,
  }, true);
}
