/**
 * Stripe's webhook signatures: `Stripe-Signature: t=<seconds>,v1=<hex>`,
 * an HMAC-SHA256 of `${t}.${body}` with the secret as text.
 *
 * @module
 */
import { NetScriptError } from "@netscript/contracts/errors";
import type { TriggersErrorCode } from "../triggers_error_codes.ts";
import { bytesOf, encodeSignature, hmacDigest, signatureMatches } from "./signature_digest.ts";
import {
  assertWithinTolerance,
  checkTolerance,
  DEFAULT_TOLERANCE_SECONDS,
  parseTimestamp,
} from "./timestamp.ts";
import {
  requireSecret,
  signatureInvalid,
  signatureMissing,
  type VerifiedDelivery,
  type WebhookScheme,
  type WebhookVerifyRequest,
} from "./webhook_scheme.ts";

/** Options of {@linkcode stripe}. */
export interface StripeOptions {
  /** The environment variable holding the endpoint's signing secret (`whsec_…`). */
  readonly secretEnv: string;
  /**
   * How far the signed timestamp may lie from now, in seconds, both ways.
   *
   * @default 300
   */
  readonly toleranceSeconds?: number;
}

/** What {@linkcode signStripeWebhook} signs. */
export interface SignStripeWebhookOptions {
  /** The endpoint's signing secret, as text. */
  readonly secret: string;
  /** The signing time. */
  readonly timestamp: Date;
  /** The body as it will be sent: a Stripe event, a JSON object with an `id`. */
  readonly body: Uint8Array | string;
}

const KIND = "stripe";
const HEADER = "Stripe-Signature";
const DECODER = new TextDecoder();

/**
 * Verifies Stripe webhooks: `Stripe-Signature` holds `t=<seconds>` and one
 * or more `v1=<hex>` signatures (any one must match; `v0` is ignored) of
 * `${t}.` followed by the raw body, under the signing secret used as text.
 * The timestamp must lie within the tolerance both ways (Stripe's own
 * library checks only the past). Stripe names no delivery in its headers,
 * and signs each retry anew, so once the signature verifies the delivery id
 * is read from the body: the event's `id` (`evt_…`), the same for every
 * retry of the event.
 *
 * @param options The secret's variable and the tolerance.
 * @returns The scheme.
 * @throws {RangeError} When `toleranceSeconds` is negative or not finite.
 *
 * @example
 * ```ts
 * import { signStripeWebhook, stripe } from "@netscript/plugin-triggers-core";
 *
 * const secret = "whsec_test_secret";
 * const body = new TextEncoder().encode('{"id":"evt_1","type":"charge.succeeded"}');
 * const headers = new Headers(await signStripeWebhook({ secret, timestamp: new Date(), body }));
 * const { deliveryId } = await stripe({ secretEnv: "STRIPE_WEBHOOK_SECRET" })
 *   .verify({ body, headers, secret });
 * console.log(deliveryId); // "evt_1"
 * ```
 */
export function stripe(options: StripeOptions): WebhookScheme {
  const { secretEnv } = options;
  const toleranceSeconds = checkTolerance(options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS);
  return {
    kind: KIND,
    secretEnv,
    async verify(request: WebhookVerifyRequest): Promise<VerifiedDelivery> {
      const secret = requireSecret(request, KIND, secretEnv);
      const fields = (request.headers.get(HEADER) ?? "").split(",").map((field) => {
        const at = field.indexOf("=");
        return at < 0 ? ["", ""] : [field.slice(0, at).trim(), field.slice(at + 1).trim()];
      });
      const signatures = fields.filter(([name]) => name === "v1").map(([, value]) => value!);
      if (signatures.length === 0) throw signatureMissing(HEADER, KIND);
      const t = fields.find(([name]) => name === "t")?.[1];
      if (t === undefined) {
        throw new NetScriptError<TriggersErrorCode>(
          "TRIGGERS_HEADER_MISSING",
          `Cannot verify a ${KIND} webhook: the "${HEADER}" header has no t= timestamp; check that the sender is Stripe`,
          { details: { header: HEADER, scheme: KIND } },
        );
      }
      const seconds = parseTimestamp(t, `${HEADER} t=`, KIND);
      assertWithinTolerance(seconds, request.now ?? new Date(), toleranceSeconds, KIND);
      const expected = encodeSignature(await _digest(secret, seconds, request.body), "hex");
      if (!signatures.some((signature) => signatureMatches(signature, expected, "hex"))) {
        throw signatureInvalid(HEADER, KIND, secretEnv);
      }
      return { deliveryId: _eventId(request.body), timestamp: new Date(seconds * 1000) };
    },
  };
}

/**
 * Signs a webhook as Stripe does, to test a trigger that verifies with
 * {@linkcode stripe}.
 *
 * @param options The secret, time and body.
 * @returns The `Stripe-Signature` header.
 *
 * @example
 * ```ts
 * import { signStripeWebhook } from "@netscript/plugin-triggers-core";
 *
 * const headers = await signStripeWebhook({
 *   secret: "whsec_test_secret",
 *   timestamp: new Date(1700000000 * 1000),
 *   body: '{"id":"evt_1"}',
 * });
 * console.log(headers["Stripe-Signature"].startsWith("t=1700000000,v1=")); // true
 * ```
 */
export async function signStripeWebhook(
  options: SignStripeWebhookOptions,
): Promise<{ "Stripe-Signature": string }> {
  const seconds = Math.floor(options.timestamp.getTime() / 1000);
  const digest = await _digest(options.secret, seconds, options.body);
  return { "Stripe-Signature": `t=${seconds},v1=${encodeSignature(digest, "hex")}` };
}

function _digest(secret: string, seconds: number, body: Uint8Array | string): Promise<Uint8Array> {
  return hmacDigest("SHA-256", bytesOf(secret), [`${seconds}.`, body]);
}

function _eventId(body: Uint8Array): string {
  let event: unknown;
  try {
    event = JSON.parse(DECODER.decode(body));
  } catch {
    event = undefined;
  }
  const id = typeof event === "object" && event !== null
    ? (event as { id?: unknown }).id
    : undefined;
  if (typeof id !== "string" || id === "") {
    throw new NetScriptError<TriggersErrorCode>(
      "TRIGGERS_DELIVERY_ID_MISSING",
      `Cannot take the delivery id of a verified ${KIND} webhook: its body is not a JSON object with a string "id"; check that the endpoint receives Stripe events`,
      { details: { scheme: KIND } },
    );
  }
  return id;
}
