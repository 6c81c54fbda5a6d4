/**
 * A configurable HMAC scheme for providers without a preset: one header
 * holding an optional prefix and the HMAC of the raw body.
 *
 * @module
 */
import {
  bytesOf,
  encodeSignature,
  type HmacAlgorithm,
  hmacDigest,
  type SignatureEncoding,
  signatureMatches,
} from "./signature_digest.ts";
import {
  requireHeader,
  requireSecret,
  signatureInvalid,
  signatureMissing,
  type VerifiedDelivery,
  type WebhookScheme,
  type WebhookVerifyRequest,
} from "./webhook_scheme.ts";

/** How a provider writes its signature header: shared by {@linkcode hmac} and {@linkcode signHmacWebhook}. */
export interface HmacSignatureFormat {
  /** The header holding the signature, e.g. `"X-Signature"`. */
  readonly header: string;
  /**
   * The hash algorithm.
   *
   * @default "SHA-256"
   */
  readonly algorithm?: HmacAlgorithm;
  /**
   * How the signature's bytes are written (hex is compared case-insensitively).
   *
   * @default "hex"
   */
  readonly encoding?: SignatureEncoding;
  /**
   * Text before the signature in the header, e.g. `"sha256="`.
   *
   * @default ""
   */
  readonly prefix?: string;
}

/** Options of {@linkcode hmac}. */
export interface HmacOptions extends HmacSignatureFormat {
  /** The environment variable holding the secret, used as UTF-8 text. */
  readonly secretEnv: string;
  /**
   * The header naming the delivery, e.g. `"X-Request-Id"`. Without it the
   * delivery id is the expected signature, so a replayed body deduplicates.
   */
  readonly deliveryIdHeader?: string;
}

/** What {@linkcode signHmacWebhook} signs, and how it writes the header. */
export interface SignHmacWebhookOptions extends HmacSignatureFormat {
  /** The secret, as text. */
  readonly secret: string;
  /** The body as it will be sent. */
  readonly body: Uint8Array | string;
}

const KIND = "hmac";

/**
 * Verifies webhooks of a provider that signs the raw body with an HMAC under
 * a text secret and sends it in one header, optionally after a prefix. No
 * timestamp is signed, so no tolerance applies: deduplicating on the
 * delivery id is the only replay protection. The delivery id is the value of
 * `deliveryIdHeader` when given, else the expected signature (the same for
 * the same body).
 *
 * @param options The secret's variable, the header's format and the delivery id's header.
 * @returns The scheme.
 * @throws {TypeError} When `header` is empty.
 *
 * @example
 * ```ts
 * import { hmac, signHmacWebhook } from "@netscript/plugin-triggers-core";
 *
 * const format = { header: "X-Signature", encoding: "base64", prefix: "sha256=" } as const;
 * const body = new TextEncoder().encode('{"event":"ping"}');
 * const headers = new Headers(await signHmacWebhook({ ...format, secret: "s3cret", body }));
 * headers.set("X-Request-Id", "req-1");
 * const scheme = hmac({ ...format, secretEnv: "ACME_SECRET", deliveryIdHeader: "X-Request-Id" });
 * console.log((await scheme.verify({ body, headers, secret: "s3cret" })).deliveryId); // "req-1"
 * ```
 */
export function hmac(options: HmacOptions): WebhookScheme {
  const { secretEnv, deliveryIdHeader } = options;
  const format = _format(options);
  return {
    kind: KIND,
    secretEnv,
    async verify(request: WebhookVerifyRequest): Promise<VerifiedDelivery> {
      const secret = requireSecret(request, KIND, secretEnv);
      const received = request.headers.get(format.header)?.trim() ?? "";
      if (received.length <= format.prefix.length || !received.startsWith(format.prefix)) {
        throw signatureMissing(format.header, KIND);
      }
      const deliveryId = deliveryIdHeader === undefined
        ? undefined
        : requireHeader(request.headers, deliveryIdHeader, KIND);
      const expected = await _signature(format, secret, request.body);
      if (!signatureMatches(received.slice(format.prefix.length), expected, format.encoding)) {
        throw signatureInvalid(format.header, KIND, secretEnv);
      }
      return { deliveryId: deliveryId ?? expected };
    },
  };
}

/**
 * Signs a webhook in a provider's HMAC format, to test a trigger that
 * verifies with {@linkcode hmac}.
 *
 * @param options The secret, body and header format.
 * @returns The signature header.
 * @throws {TypeError} When `header` is empty.
 *
 * @example
 * ```ts
 * import { signHmacWebhook } from "@netscript/plugin-triggers-core";
 *
 * const headers = await signHmacWebhook({ header: "X-Signature", secret: "s3cret", body: "{}" });
 * console.log(headers["X-Signature"]?.length); // 64
 * ```
 */
export async function signHmacWebhook(
  options: SignHmacWebhookOptions,
): Promise<Record<string, string>> {
  const format = _format(options);
  return {
    [format.header]: `${format.prefix}${await _signature(format, options.secret, options.body)}`,
  };
}

function _format(options: HmacSignatureFormat): Required<HmacSignatureFormat> {
  if (options.header.trim() === "") throw new TypeError("hmac() needs a non-empty header name");
  return {
    header: options.header,
    algorithm: options.algorithm ?? "SHA-256",
    encoding: options.encoding ?? "hex",
    prefix: options.prefix ?? "",
  };
}

async function _signature(
  format: Required<HmacSignatureFormat>,
  secret: string,
  body: Uint8Array | string,
): Promise<string> {
  return encodeSignature(
    await hmacDigest(format.algorithm, bytesOf(secret), [body]),
    format.encoding,
  );
}
