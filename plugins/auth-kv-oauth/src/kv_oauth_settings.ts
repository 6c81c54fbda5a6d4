/**
 * The settings of the kv-oauth backend: the options of
 * `createKvOAuthBackend`, their defaults, and the checks both it and
 * `openKvOAuthBackend` run, naming the option or the environment variable
 * (never the value of a secret).
 *
 * @module
 */
import { NetScriptError } from "@netscript/contracts/errors";
import type { AuthErrorCode } from "@netscript/plugin-auth-core";
import { redactSecrets } from "@netscript/store";
import type { Logger } from "@netscript/telemetry";

/** The scopes asked for when none are given. */
export const DEFAULT_SCOPES: readonly string[] = ["openid", "email", "profile"];

/** How long a session lasts unless refreshed: 7 days. */
export const DEFAULT_SESSION_TTL_SECONDS = 7 * 24 * 60 * 60;

/** How long a begun sign-in waits for the provider's answer: 10 minutes. */
export const DEFAULT_SIGN_IN_TTL_SECONDS = 600;

/** The shortest `AUTH_SECRET` accepted. */
const MIN_SECRET_LENGTH = 32;

/** Hosts an `http:` issuer may have: this machine only. */
const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** Options of `createKvOAuthBackend`. */
export interface KvOAuthBackendOptions {
  /**
   * The OpenID provider's issuer URL; its discovery document is read from
   * `<issuer>/.well-known/openid-configuration`. `https:`, or `http:` on
   * 127.0.0.1, localhost or [::1] only.
   */
  readonly issuer: string;
  /** The client id registered at the provider. */
  readonly clientId: string;
  /** The client secret registered at the provider. */
  readonly clientSecret: string;
  /** At least 32 characters: the key material the refresh tokens are encrypted under. */
  readonly secret: string;
  /** Where sign-ins in progress and sessions are kept; `close()` leaves it open. */
  readonly kv: Deno.Kv;
  /**
   * The site's public origin, when a proxy terminates TLS in front of the
   * service: the callback URL and the cookies' `Secure` flag follow it.
   * @default {the origin of each request}
   */
  readonly publicUrl?: string | undefined;
  /**
   * The scopes asked for; `openid` must be one of them.
   * @default {["openid", "email", "profile"]}
   */
  readonly scopes?: readonly string[] | undefined;
  /**
   * How long a session lasts, from sign-in or its last refresh.
   * @default {604800}
   */
  readonly sessionTtlSeconds?: number | undefined;
  /**
   * How long a begun sign-in waits for the provider's answer.
   * @default {600}
   */
  readonly signInTtlSeconds?: number | undefined;
  /** Where refused sign-ins and ended sessions are reported. */
  readonly logger?: Logger | undefined;
  /**
   * How the provider is called.
   * @default {globalThis.fetch}
   */
  readonly fetch?: typeof fetch | undefined;
  /**
   * The clock of sessions and sign-ins (token expiry is checked by the
   * real clock).
   * @default {() => new Date()}
   */
  readonly now?: (() => Date) | undefined;
}

/** The checked settings the backend runs with. */
export interface KvOAuthSettings {
  /** The issuer. */
  readonly issuer: URL;
  /** Whether plain `http:` may be used: only for a loopback issuer. */
  readonly allowInsecureRequests: boolean;
  /** The client id. */
  readonly clientId: string;
  /** The client secret. */
  readonly clientSecret: string;
  /** The refresh-token key material. */
  readonly secret: string;
  /** The public origin, or `null` to use each request's. */
  readonly publicOrigin: string | null;
  /** The scopes asked for. */
  readonly scopes: readonly string[];
  /** The session lifetime. */
  readonly sessionTtlSeconds: number;
  /** The sign-in lifetime. */
  readonly signInTtlSeconds: number;
}

/**
 * Checks the options and fills in the defaults.
 *
 * @param options The options.
 * @returns The settings.
 * @throws {NetScriptError} `AUTH_SETTING_MISSING` or `AUTH_SETTING_INVALID`, naming the option.
 * @throws {RangeError} For a lifetime that is not a positive whole number, or scopes without `openid`.
 */
export function resolveSettings(options: KvOAuthBackendOptions): KvOAuthSettings {
  const issuer = checkIssuer(options.issuer, "issuer");
  const scopes = options.scopes ?? DEFAULT_SCOPES;
  if (!scopes.includes("openid")) {
    throw new RangeError(`scopes must include "openid" (got ${JSON.stringify(scopes)})`);
  }
  return {
    issuer,
    allowInsecureRequests: issuer.protocol === "http:",
    clientId: checkPresent(options.clientId, "clientId"),
    clientSecret: checkPresent(options.clientSecret, "clientSecret"),
    secret: checkSecret(options.secret, "secret"),
    publicOrigin: options.publicUrl === undefined
      ? null
      : checkPublicUrl(options.publicUrl, "publicUrl"),
    scopes: [...scopes],
    sessionTtlSeconds: _checkSeconds(
      options.sessionTtlSeconds ?? DEFAULT_SESSION_TTL_SECONDS,
      "sessionTtlSeconds",
    ),
    signInTtlSeconds: _checkSeconds(
      options.signInTtlSeconds ?? DEFAULT_SIGN_IN_TTL_SECONDS,
      "signInTtlSeconds",
    ),
  };
}

/**
 * Checks that a setting is given.
 *
 * @param value The value.
 * @param name The option or variable, for the message.
 * @returns The value.
 * @throws {NetScriptError} `AUTH_SETTING_MISSING` when it is unset or empty.
 */
export function checkPresent(value: string | undefined, name: string): string {
  if (value === undefined || value === "") {
    throw new NetScriptError<AuthErrorCode>(
      "AUTH_SETTING_MISSING",
      `The kv-oauth auth backend needs ${name}: it is unset or empty; set it and restart`,
      { details: { setting: name } },
    );
  }
  return value;
}

/**
 * Checks the issuer: an `https:` URL, or `http:` on this machine, without
 * credentials, query or fragment.
 *
 * @param value The value.
 * @param name The option or variable, for the message.
 * @returns The issuer URL.
 * @throws {NetScriptError} `AUTH_SETTING_MISSING` or `AUTH_SETTING_INVALID`.
 */
export function checkIssuer(value: string | undefined, name: string): URL {
  const text = checkPresent(value, name);
  const url = URL.parse(text);
  const why = url === null || (url.protocol !== "https:" && url.protocol !== "http:")
    ? "it is not an http(s) URL"
    : url.protocol === "http:" && !LOOPBACK_HOSTS.has(url.hostname)
    ? "plain http is allowed only for an issuer on this machine (127.0.0.1, localhost); use https"
    : url.username !== "" || url.password !== "" || url.search !== "" || url.hash !== ""
    ? "an issuer URL holds no credentials, query or fragment"
    : null;
  if (why !== null) throw _invalid(name, `${JSON.stringify(redactSecrets(text))}: ${why}`);
  return url!;
}

/**
 * Checks the public URL and keeps its origin.
 *
 * @param value The value.
 * @param name The option or variable, for the message.
 * @returns The origin, e.g. `https://app.example`.
 * @throws {NetScriptError} `AUTH_SETTING_INVALID` when it is not an http(s) URL.
 */
export function checkPublicUrl(value: string, name: string): string {
  const url = URL.parse(value);
  if (url === null || (url.protocol !== "https:" && url.protocol !== "http:")) {
    throw _invalid(name, `${JSON.stringify(redactSecrets(value))}: it is not an http(s) URL`);
  }
  return url.origin;
}

/**
 * Checks the secret's length; the message never quotes it.
 *
 * @param value The value.
 * @param name The option or variable, for the message.
 * @returns The secret.
 * @throws {NetScriptError} `AUTH_SETTING_MISSING`, or `AUTH_SETTING_INVALID` when shorter than 32 characters.
 */
export function checkSecret(value: string | undefined, name: string): string {
  const secret = checkPresent(value, name);
  if (secret.length < MIN_SECRET_LENGTH) {
    throw _invalid(
      name,
      `it holds ${secret.length} characters, fewer than ${MIN_SECRET_LENGTH}; generate one with \`openssl rand -base64 48\``,
    );
  }
  return secret;
}

function _checkSeconds(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new RangeError(`${name} must be a positive whole number of seconds (got ${value})`);
  }
  return value;
}

function _invalid(name: string, why: string): NetScriptError<AuthErrorCode> {
  return new NetScriptError<AuthErrorCode>(
    "AUTH_SETTING_INVALID",
    `The kv-oauth auth backend cannot use ${name}: ${why}`,
    { details: { setting: name } },
  );
}
