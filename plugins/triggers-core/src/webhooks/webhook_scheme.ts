/**
 * The shape every webhook verification scheme shares, and reading a
 * scheme's secret from the environment.
 *
 * @module
 */
import { NetScriptError } from "@netscript/contracts/errors";
import type { TriggersErrorCode } from "../triggers_error_codes.ts";

/** The names of the schemes this package provides. */
export type WebhookSchemeKind = "standard-webhooks" | "github" | "stripe" | "hmac" | "unverified";

/** One received webhook, as {@linkcode WebhookScheme.verify} checks it. */
export interface WebhookVerifyRequest {
  /** The body exactly as received, before any parsing: a signature covers these bytes. */
  readonly body: Uint8Array;
  /** The request's headers. */
  readonly headers: Headers;
  /** The secret shared with the sender (see {@linkcode readWebhookSecret}); ignored by `unverified()`. */
  readonly secret?: string | undefined;
  /**
   * The time to hold signed timestamps against.
   *
   * @default new Date()
   */
  readonly now?: Date;
}

/** What a verified webhook is known by. */
export interface VerifiedDelivery {
  /** The delivery's id: the key to deduplicate by (each scheme says where it comes from). */
  readonly deliveryId: string;
  /** The time the sender signed the delivery, for schemes that sign one. */
  readonly timestamp?: Date;
}

/** A way to verify incoming webhooks: what `standardWebhooks()`, `github()`, `stripe()`, `hmac()` and `unverified()` return. */
export interface WebhookScheme {
  /** Which scheme this is. */
  readonly kind: WebhookSchemeKind;
  /** The environment variable that holds the secret; absent for `unverified()`. */
  readonly secretEnv?: string;
  /**
   * Checks one webhook over its raw bytes.
   *
   * @param request The body, headers, secret and clock.
   * @returns The delivery's id (and signed time); rejects with a
   * `NetScriptError` carrying a `TRIGGERS_*` code when the webhook does not verify.
   */
  verify(request: WebhookVerifyRequest): Promise<VerifiedDelivery>;
}

/** Where {@linkcode readWebhookSecret} reads variables: `Deno.env` by default. */
export interface SecretSource {
  /**
   * Reads one variable.
   *
   * @param name The variable's name.
   * @returns Its value, or `undefined` when unset.
   */
  get(name: string): string | undefined;
}

/**
 * Reads the secret of a scheme from the environment variable its
 * `secretEnv` names. The error names the variable, never a value.
 *
 * @param scheme The scheme.
 * @param env Where to read variables.
 * @returns The secret, or `undefined` for a scheme without one (`unverified()`).
 * @throws {NetScriptError} `TRIGGERS_SECRET_MISSING` when the variable is unset or empty.
 *
 * @example
 * ```ts
 * import { github, readWebhookSecret } from "@netscript/plugin-triggers-core";
 *
 * const scheme = github({ secretEnv: "GITHUB_WEBHOOK_SECRET" });
 * const secret = readWebhookSecret(scheme, { get: () => "It's a Secret to Everybody" });
 * console.log(secret !== undefined); // true
 * ```
 */
export function readWebhookSecret(
  scheme: WebhookScheme,
  env: SecretSource = Deno.env,
): string | undefined {
  if (scheme.secretEnv === undefined) return undefined;
  const secret = env.get(scheme.secretEnv);
  if (secret === undefined || secret === "") {
    throw new NetScriptError<TriggersErrorCode>(
      "TRIGGERS_SECRET_MISSING",
      `Cannot verify ${scheme.kind} webhooks: the environment variable "${scheme.secretEnv}" is ${
        secret === undefined ? "unset" : "empty"
      }; set it to the secret the sender signs with`,
      { details: { secretEnv: scheme.secretEnv, scheme: scheme.kind } },
    );
  }
  return secret;
}

/** The secret a request carries, or a `TRIGGERS_SECRET_MISSING` naming the scheme's variable. */
export function requireSecret(
  request: WebhookVerifyRequest,
  kind: WebhookSchemeKind,
  secretEnv: string,
): string {
  if (request.secret === undefined || request.secret === "") {
    throw new NetScriptError<TriggersErrorCode>(
      "TRIGGERS_SECRET_MISSING",
      `Cannot verify a ${kind} webhook without its secret: pass the value of "${secretEnv}" (readWebhookSecret() reads it) as secret`,
      { details: { secretEnv, scheme: kind } },
    );
  }
  return request.secret;
}

/** A header's value, or a `TRIGGERS_HEADER_MISSING` naming it. */
export function requireHeader(headers: Headers, name: string, kind: WebhookSchemeKind): string {
  const value = headers.get(name);
  if (value === null || value.trim() === "") {
    throw new NetScriptError<TriggersErrorCode>(
      "TRIGGERS_HEADER_MISSING",
      `Cannot verify a ${kind} webhook: the "${name}" header is missing; check that the sender is the one the scheme expects`,
      { details: { header: name, scheme: kind } },
    );
  }
  return value.trim();
}

/** The `TRIGGERS_SIGNATURE_MISSING` error for a header without a usable signature. */
export function signatureMissing(header: string, kind: WebhookSchemeKind): NetScriptError {
  return new NetScriptError<TriggersErrorCode>(
    "TRIGGERS_SIGNATURE_MISSING",
    `Cannot verify a ${kind} webhook: the "${header}" header holds no signature the scheme checks; configure the sender to sign its webhooks, or pick the scheme it uses`,
    { details: { header, scheme: kind } },
  );
}

/** The `TRIGGERS_SIGNATURE_INVALID` error for signatures that match nothing. */
export function signatureInvalid(
  header: string,
  kind: WebhookSchemeKind,
  secretEnv: string,
): NetScriptError {
  return new NetScriptError<TriggersErrorCode>(
    "TRIGGERS_SIGNATURE_INVALID",
    `Cannot verify a ${kind} webhook: no signature in the "${header}" header matches the body; verify the exact bytes received (never a parsed and re-serialized body), and check that "${secretEnv}" holds the sender's secret`,
    { details: { header, scheme: kind, secretEnv } },
  );
}
