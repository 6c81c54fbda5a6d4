/**
 * Triggers for NetScript, core: verification of incoming webhooks over the
 * exact bytes received, with presets for Standard Webhooks, GitHub and
 * Stripe, a configurable HMAC scheme, and signing helpers to test with.
 * Secrets are read from the environment variable a scheme names, never
 * from code.
 *
 * @example Verify a Standard Webhooks delivery
 * ```ts
 * import {
 *   readWebhookSecret,
 *   signStandardWebhook,
 *   standardWebhooks,
 * } from "@netscript/plugin-triggers-core";
 *
 * const scheme = standardWebhooks({ secretEnv: "CLERK_WEBHOOK_SECRET" });
 * const secret = readWebhookSecret(scheme, {
 *   get: () => "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
 * });
 * const body = new TextEncoder().encode('{"type":"user.created"}');
 * const headers = new Headers(
 *   await signStandardWebhook({ secret: secret!, id: "msg_1", timestamp: new Date(), body }),
 * );
 * console.log(await scheme.verify({ body, headers, secret })); // { deliveryId: "msg_1", timestamp: … }
 * ```
 *
 * @module
 */

export {
  github,
  type GitHubOptions,
  signGitHubWebhook,
  type SignGitHubWebhookOptions,
} from "./src/webhooks/github.ts";
export {
  hmac,
  type HmacOptions,
  type HmacSignatureFormat,
  signHmacWebhook,
  type SignHmacWebhookOptions,
} from "./src/webhooks/hmac.ts";
export type { HmacAlgorithm, SignatureEncoding } from "./src/webhooks/signature_digest.ts";
export {
  signStandardWebhook,
  type SignStandardWebhookOptions,
  standardWebhooks,
  type StandardWebhooksOptions,
} from "./src/webhooks/standard_webhooks.ts";
export {
  signStripeWebhook,
  type SignStripeWebhookOptions,
  stripe,
  type StripeOptions,
} from "./src/webhooks/stripe.ts";
export { unverified } from "./src/webhooks/unverified.ts";
export {
  readWebhookSecret,
  type SecretSource,
  type VerifiedDelivery,
  type WebhookScheme,
  type WebhookSchemeKind,
  type WebhookVerifyRequest,
} from "./src/webhooks/webhook_scheme.ts";
export { TRIGGERS_ERROR_CODES, type TriggersErrorCode } from "./src/triggers_error_codes.ts";
