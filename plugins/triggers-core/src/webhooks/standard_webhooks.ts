/**
 * The Standard Webhooks scheme (also Svix's): HMAC-SHA256 over
 * `id.timestamp.body`, several signatures for secret rotation, and a
 * tolerance window on the signed timestamp.
 *
 * @module
 */
import { NetScriptError } from "@netscript/contracts/errors";
import type { TriggersErrorCode } from "../triggers_error_codes.ts";
import { decodeBase64, encodeSignature, hmacDigest, signatureMatches } from "./signature_digest.ts";
import {
  assertWithinTolerance,
  checkTolerance,
  DEFAULT_TOLERANCE_SECONDS,
  parseTimestamp,
} from "./timestamp.ts";
import {
  requireHeader,
  requireSecret,
  signatureInvalid,
  signatureMissing,
  type VerifiedDelivery,
  type WebhookScheme,
  type WebhookVerifyRequest,
} from "./webhook_scheme.ts";

/** Options of {@linkcode standardWebhooks}. */
export interface StandardWebhooksOptions {
  /** The environment variable holding the secret (`whsec_` + base64, or the base64 alone). */
  readonly secretEnv: string;
  /**
   * How far the signed timestamp may lie from now, in seconds, both ways.
   *
   * @default 300
   */
  readonly toleranceSeconds?: number;
}

/** What {@linkcode signStandardWebhook} signs. */
export interface SignStandardWebhookOptions {
  /** The secret: `whsec_` + base64, or the base64 alone. */
  readonly secret: string;
  /** The message id, sent as `webhook-id`; it must not contain a dot. */
  readonly id: string;
  /** The signing time. */
  readonly timestamp: Date;
  /** The body as it will be sent. */
  readonly body: Uint8Array | string;
}

const KIND = "standard-webhooks";
const SECRET_PREFIX = "whsec_";

/**
 * Verifies webhooks signed per the Standard Webhooks specification (Svix,
 * Clerk, Resend and others): headers `webhook-id`, `webhook-timestamp`
 * (Unix seconds) and `webhook-signature`, a space-separated list of
 * `v1,<base64>` signatures of which any one must match (other versions are
 * ignored). The signed bytes are `${id}.${timestamp}.` followed by the raw
 * body; the delivery id is `webhook-id`.
 *
 * @param options The secret's variable and the tolerance.
 * @returns The scheme.
 * @throws {RangeError} When `toleranceSeconds` is negative or not finite.
 *
 * @example
 * ```ts
 * import { signStandardWebhook, standardWebhooks } from "@netscript/plugin-triggers-core";
 *
 * const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
 * const body = new TextEncoder().encode('{"type":"user.created"}');
 * const headers = new Headers(
 *   await signStandardWebhook({ secret, id: "msg_1", timestamp: new Date(), body }),
 * );
 * const scheme = standardWebhooks({ secretEnv: "CLERK_WEBHOOK_SECRET" });
 * const { deliveryId } = await scheme.verify({ body, headers, secret });
 * console.log(deliveryId); // "msg_1"
 * ```
 */
export function standardWebhooks(options: StandardWebhooksOptions): WebhookScheme {
  const { secretEnv } = options;
  const toleranceSeconds = checkTolerance(options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS);
  return {
    kind: KIND,
    secretEnv,
    async verify(request: WebhookVerifyRequest): Promise<VerifiedDelivery> {
      const key = _secretKey(requireSecret(request, KIND, secretEnv), secretEnv);
      const id = requireHeader(request.headers, "webhook-id", KIND);
      if (id.includes(".")) {
        throw new NetScriptError<TriggersErrorCode>(
          "TRIGGERS_HEADER_INVALID",
          `Cannot verify a ${KIND} webhook: the webhook-id "${
            id.slice(0, 80)
          }" contains a dot, which the specification forbids; check that the sender follows it`,
          { details: { header: "webhook-id", scheme: KIND } },
        );
      }
      const seconds = parseTimestamp(
        requireHeader(request.headers, "webhook-timestamp", KIND),
        "webhook-timestamp",
        KIND,
      );
      const signatures = (request.headers.get("webhook-signature") ?? "")
        .split(" ")
        .filter((entry) => entry.startsWith("v1,"))
        .map((entry) => entry.slice(3));
      if (signatures.length === 0) throw signatureMissing("webhook-signature", KIND);
      assertWithinTolerance(seconds, request.now ?? new Date(), toleranceSeconds, KIND);
      const expected = encodeSignature(await _digest(key, id, seconds, request.body), "base64");
      if (!signatures.some((signature) => signatureMatches(signature, expected, "base64"))) {
        throw signatureInvalid("webhook-signature", KIND, secretEnv);
      }
      return { deliveryId: id, timestamp: new Date(seconds * 1000) };
    },
  };
}

/**
 * Signs a webhook per the Standard Webhooks specification, to send it or to
 * test a trigger that verifies with {@linkcode standardWebhooks}.
 *
 * @param options The secret, message id, time and body.
 * @returns The `webhook-id`, `webhook-timestamp` and `webhook-signature` headers.
 * @throws {NetScriptError} `TRIGGERS_SECRET_INVALID` when the secret is not base64.
 * @throws {TypeError} When the id contains a dot.
 *
 * @example
 * ```ts
 * import { signStandardWebhook } from "@netscript/plugin-triggers-core";
 *
 * const headers = await signStandardWebhook({
 *   secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
 *   id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
 *   timestamp: new Date(1614265330 * 1000),
 *   body: '{"test": 2432232314}',
 * });
 * console.log(headers["webhook-signature"]); // "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
 * ```
 */
export async function signStandardWebhook(
  options: SignStandardWebhookOptions,
): Promise<{ "webhook-id": string; "webhook-timestamp": string; "webhook-signature": string }> {
  if (options.id.includes(".")) {
    throw new TypeError(`A Standard Webhooks id must not contain a dot, got "${options.id}"`);
  }
  const seconds = Math.floor(options.timestamp.getTime() / 1000);
  const digest = await _digest(_secretKey(options.secret), options.id, seconds, options.body);
  return {
    "webhook-id": options.id,
    "webhook-timestamp": String(seconds),
    "webhook-signature": `v1,${encodeSignature(digest, "base64")}`,
  };
}

function _digest(
  key: Uint8Array,
  id: string,
  seconds: number,
  body: Uint8Array | string,
): Promise<Uint8Array> {
  return hmacDigest("SHA-256", key, [`${id}.${seconds}.`, body]);
}

function _secretKey(secret: string, secretEnv?: string): Uint8Array {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  const key = decodeBase64(encoded);
  if (key === undefined || key.length === 0) {
    throw new NetScriptError<TriggersErrorCode>(
      "TRIGGERS_SECRET_INVALID",
      `Cannot use the Standard Webhooks secret${
        secretEnv === undefined ? "" : ` of "${secretEnv}"`
      }: it is not base64 after the optional whsec_ prefix; copy the secret exactly as the sender shows it`,
      { details: secretEnv === undefined ? { scheme: KIND } : { scheme: KIND, secretEnv } },
    );
  }
  return key;
}
