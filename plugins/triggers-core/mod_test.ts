import { deepEqual } from "node:assert/strict";
import { exportNames } from "../../tests/support/exports.ts";

Deno.test("@netscript/plugin-triggers-core exports exactly its documented surface", async () => {
  deepEqual(await exportNames(new URL("./mod.ts", import.meta.url)), [
    "github",
    "type GitHubOptions",
    "hmac",
    "type HmacAlgorithm",
    "type HmacOptions",
    "type HmacSignatureFormat",
    "readWebhookSecret",
    "type SecretSource",
    "type SignatureEncoding",
    "signGitHubWebhook",
    "type SignGitHubWebhookOptions",
    "signHmacWebhook",
    "type SignHmacWebhookOptions",
    "signStandardWebhook",
    "type SignStandardWebhookOptions",
    "signStripeWebhook",
    "type SignStripeWebhookOptions",
    "standardWebhooks",
    "type StandardWebhooksOptions",
    "stripe",
    "type StripeOptions",
    "TRIGGERS_ERROR_CODES",
    "type TriggersErrorCode",
    "unverified",
    "type VerifiedDelivery",
    "type WebhookScheme",
    "type WebhookSchemeKind",
    "type WebhookVerifyRequest",
  ]);
});
