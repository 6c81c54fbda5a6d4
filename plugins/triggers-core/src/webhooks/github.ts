/**
 * GitHub's webhook signatures: `X-Hub-Signature-256: sha256=<hex>`, an
 * HMAC-SHA256 of the raw body with the secret as UTF-8 text.
 *
 * @module
 */
import { bytesOf, encodeSignature, hmacDigest, signatureMatches } from "./signature_digest.ts";
import {
  requireHeader,
  requireSecret,
  signatureInvalid,
  signatureMissing,
  type VerifiedDelivery,
  type WebhookScheme,
  type WebhookVerifyRequest,
} from "./webhook_scheme.ts";

/** Options of {@linkcode github}. */
export interface GitHubOptions {
  /** The environment variable holding the webhook's secret, as entered in GitHub's settings. */
  readonly secretEnv: string;
}

/** What {@linkcode signGitHubWebhook} signs. */
export interface SignGitHubWebhookOptions {
  /** The webhook's secret, as text. */
  readonly secret: string;
  /** The body as it will be sent. */
  readonly body: Uint8Array | string;
  /** The delivery's id, sent as `X-GitHub-Delivery`. */
  readonly deliveryId: string;
}

const KIND = "github";
const SIGNATURE_HEADER = "X-Hub-Signature-256";
const DELIVERY_HEADER = "X-GitHub-Delivery";
const PREFIX = "sha256=";

/**
 * Verifies GitHub webhooks: `X-Hub-Signature-256` holds `sha256=` and the
 * hex HMAC-SHA256 of the raw body under the secret (UTF-8 text). GitHub
 * signs no timestamp, so there is no tolerance window: replays are caught
 * only by deduplicating on the delivery id, `X-GitHub-Delivery` (which a
 * redelivery from GitHub's settings keeps).
 *
 * @param options The secret's variable.
 * @returns The scheme.
 *
 * @example
 * ```ts
 * import { github, signGitHubWebhook } from "@netscript/plugin-triggers-core";
 *
 * const secret = "It's a Secret to Everybody";
 * const body = new TextEncoder().encode("Hello, World!");
 * const headers = new Headers(await signGitHubWebhook({ secret, body, deliveryId: "d-1" }));
 * const { deliveryId } = await github({ secretEnv: "GITHUB_WEBHOOK_SECRET" })
 *   .verify({ body, headers, secret });
 * console.log(deliveryId); // "d-1"
 * ```
 */
export function github(options: GitHubOptions): WebhookScheme {
  const { secretEnv } = options;
  return {
    kind: KIND,
    secretEnv,
    async verify(request: WebhookVerifyRequest): Promise<VerifiedDelivery> {
      const secret = requireSecret(request, KIND, secretEnv);
      const signature = request.headers.get(SIGNATURE_HEADER)?.trim() ?? "";
      if (!signature.startsWith(PREFIX)) throw signatureMissing(SIGNATURE_HEADER, KIND);
      const deliveryId = requireHeader(request.headers, DELIVERY_HEADER, KIND);
      const expected = encodeSignature(await _digest(secret, request.body), "hex");
      if (!signatureMatches(signature.slice(PREFIX.length), expected, "hex")) {
        throw signatureInvalid(SIGNATURE_HEADER, KIND, secretEnv);
      }
      return { deliveryId };
    },
  };
}

/**
 * Signs a webhook as GitHub does, to test a trigger that verifies with
 * {@linkcode github}.
 *
 * @param options The secret, body and delivery id.
 * @returns The `X-Hub-Signature-256` and `X-GitHub-Delivery` headers.
 *
 * @example
 * ```ts
 * import { signGitHubWebhook } from "@netscript/plugin-triggers-core";
 *
 * const headers = await signGitHubWebhook({
 *   secret: "It's a Secret to Everybody",
 *   body: "Hello, World!",
 *   deliveryId: "d-1",
 * });
 * console.log(headers["X-Hub-Signature-256"]);
 * // "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
 * ```
 */
export async function signGitHubWebhook(
  options: SignGitHubWebhookOptions,
): Promise<{ "X-Hub-Signature-256": string; "X-GitHub-Delivery": string }> {
  return {
    "X-Hub-Signature-256": `${PREFIX}${
      encodeSignature(await _digest(options.secret, options.body), "hex")
    }`,
    "X-GitHub-Delivery": options.deliveryId,
  };
}

function _digest(secret: string, body: Uint8Array | string): Promise<Uint8Array> {
  return hmacDigest("SHA-256", bytesOf(secret), [body]);
}
