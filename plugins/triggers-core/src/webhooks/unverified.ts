/**
 * The explicit choice to accept webhooks without checking who sent them.
 *
 * @module
 */
import type { VerifiedDelivery, WebhookScheme, WebhookVerifyRequest } from "./webhook_scheme.ts";

/**
 * Accepts every webhook without verification, for senders that cannot sign
 * (and for local experiments). Anyone who can reach the endpoint can then
 * fire the trigger, so choose it explicitly and knowingly. Each delivery gets
 * a fresh random id, so nothing deduplicates.
 *
 * @returns The scheme.
 *
 * @example
 * ```ts
 * import { unverified } from "@netscript/plugin-triggers-core";
 *
 * const { deliveryId } = await unverified().verify({
 *   body: new Uint8Array(),
 *   headers: new Headers(),
 * });
 * console.log(deliveryId.length); // 36
 * ```
 */
export function unverified(): WebhookScheme {
  return {
    kind: "unverified",
    verify(_request: WebhookVerifyRequest): Promise<VerifiedDelivery> {
      return Promise.resolve({ deliveryId: crypto.randomUUID() });
    },
  };
}
