import {
  checkGrantedPermissions,
  type ContractVersionContribution,
  definePlugin,
  type DenoPermissions,
  mergePermissions,
  type PluginManifest,
  type ServiceContribution,
} from "@netscript/plugin";
import type { AuthPluginErrorCode } from "./auth_plugin_error_codes.ts";

/**
 * What `auth-api` needs whatever the backend: the Deno KV file of the
 * kv-oauth sessions under `.netscript/data/`, and the variables that
 * select and configure the backend. Secrets are read from these variables,
 * never from code.
 */
const API_PERMISSIONS: DenoPermissions = {
  read: [".netscript/data"],
  write: [".netscript/data"],
  env: [
    "NETSCRIPT_AUTH_BACKEND",
    "AUTH_OIDC_ISSUER",
    "AUTH_OIDC_CLIENT_ID",
    "AUTH_OIDC_CLIENT_SECRET",
    "AUTH_SECRET",
    "AUTH_PUBLIC_URL",
    "AUTH_KV_PATH",
    "AUTH_LOG_LEVEL",
    "WORKOS_API_KEY",
    "WORKOS_CLIENT_ID",
    "WORKOS_COOKIE_PASSWORD",
    "WORKOS_API_HOSTNAME",
    "WORKOS_API_HTTPS",
    "WORKOS_COOKIE_NAME",
    "WORKOS_COOKIE_DOMAIN",
    "WORKOS_COOKIE_MAX_AGE",
    "BETTER_AUTH_SECRET",
    "BETTER_AUTH_DATABASE_URL",
  ],
  unstable: ["kv"],
};

/** The versions of `auth-api`'s contract: what the manifest declares and the API serves. */
export const AUTH_CONTRACT_VERSIONS: readonly ContractVersionContribution[] = [
  { version: "v1", loader: () => import("@netscript/plugin-auth-core/contract") },
];

/** The auth plugin's manifest type: its name, type and service. */
export type AuthManifest = PluginManifest<
  "@netscript/plugin-auth",
  "service",
  readonly ServiceContribution<"auth-api">[],
  readonly []
>;

/** Options of {@linkcode defineAuthPlugin}. */
export interface AuthPluginOptions {
  /**
   * What `auth-api` needs to reach the identity provider, e.g.
   * `{ net: ["login.example.com"] }` for an OpenID Connect issuer, or the
   * host of the better-auth app's database.
   * @default {none}
   */
  readonly providerPermissions?: DenoPermissions | undefined;
}

/**
 * Builds the auth plugin's manifest: `auth-api` on 8094 (the sign-in
 * redirect flow at `/auth/signin`, `/auth/callback`, `/auth/signout`, and
 * the contract: the caller's session and sessions), contract `v1`, and the
 * Aspire contribution. The backend is chosen when `auth-api` starts, with
 * `NETSCRIPT_AUTH_BACKEND` (`kv-oauth`, the default; `workos`;
 * `better-auth`). The workspace's `plugins/auth/plugin.ts` calls it, and
 * is where you let `auth-api` reach your provider.
 *
 * @param options What `auth-api` needs to reach the provider.
 * @returns The manifest.
 * @throws {NetScriptError} `AUTH_INVALID_PLUGIN_OPTIONS` for an unknown
 * permission, a malformed grant, or `env: true`.
 *
 * @example
 * ```ts
 * import { defineAuthPlugin } from "@netscript/plugin-auth";
 *
 * export default defineAuthPlugin({ providerPermissions: { net: ["login.example.com"] } });
 * ```
 */
export function defineAuthPlugin(options: AuthPluginOptions = {}): AuthManifest {
  return definePlugin("@netscript/plugin-auth", "0.1.0")
    .withType("service")
    .withService({
      name: "auth-api",
      entrypoint: "./services/src/main.ts",
      port: 8094,
      permissions: mergePermissions(
        API_PERMISSIONS,
        checkGrantedPermissions<AuthPluginErrorCode>(options.providerPermissions ?? {}, {
          option: "providerPermissions",
          builder: "defineAuthPlugin",
          readers: "auth-api",
          code: "AUTH_INVALID_PLUGIN_OPTIONS",
        }),
      ),
    })
    .withContractVersions(AUTH_CONTRACT_VERSIONS)
    .withTelemetry({ namespace: "auth" })
    .withAspire("./src/aspire/mod.ts")
    .build();
}

/** The auth plugin's manifest with no extra permissions. */
export const authManifest: AuthManifest = defineAuthPlugin();
