import { equal, ok, rejects } from "node:assert/strict";
import fc from "fast-check";
import { isNetScriptError } from "@netscript/contracts/errors";
import {
  github,
  hmac,
  signGitHubWebhook,
  signHmacWebhook,
  signStandardWebhook,
  signStripeWebhook,
  standardWebhooks,
  stripe,
  type TriggersErrorCode,
  type WebhookScheme,
} from "../../mod.ts";

interface Signer {
  readonly scheme: WebhookScheme;
  readonly secret: string;
  sign(body: Uint8Array, id: string, timestamp: Date): Promise<Record<string, string>>;
}

const SW_SECRET = "whsec_" + btoa("property test secret, 32 bytes!");
const SIGNERS: readonly Signer[] = [
  {
    scheme: standardWebhooks({ secretEnv: "S" }),
    secret: SW_SECRET,
    sign: (body, id, timestamp) => signStandardWebhook({ secret: SW_SECRET, id, timestamp, body }),
  },
  {
    scheme: github({ secretEnv: "S" }),
    secret: "gh",
    sign: (body, id) => signGitHubWebhook({ secret: "gh", body, deliveryId: id }),
  },
  {
    scheme: stripe({ secretEnv: "S" }),
    secret: "whsec_stripe",
    sign: (body, _id, timestamp) => signStripeWebhook({ secret: "whsec_stripe", timestamp, body }),
  },
  {
    scheme: hmac({ secretEnv: "S", header: "X-Sig", encoding: "base64", deliveryIdHeader: "X-Id" }),
    secret: "hm",
    sign: async (body, id) => ({
      ...(await signHmacWebhook({ header: "X-Sig", encoding: "base64", secret: "hm", body })),
      "X-Id": id,
    }),
  },
];

/** A Stripe body must be an event with an id; the other schemes take any bytes. */
function bodyFor(scheme: WebhookScheme, bytes: Uint8Array, id: string): Uint8Array {
  return scheme.kind === "stripe"
    ? new TextEncoder().encode(JSON.stringify({ id, data: Array.from(bytes) }))
    : bytes;
}

Deno.test("for random bodies, ids and times, signing then verifying passes and any one-byte change fails", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.uint8Array({ maxLength: 512 }),
      fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/),
      fc.integer({ min: 0, max: 4_000_000_000 }),
      fc.nat(),
      fc.integer({ min: 1, max: 255 }),
      async (raw, id, seconds, position, flip) => {
        const timestamp = new Date(seconds * 1000);
        for (const signer of SIGNERS) {
          const body = bodyFor(signer.scheme, raw, id);
          const headers = new Headers(await signer.sign(body, id, timestamp));
          const request = { headers, secret: signer.secret, now: timestamp };
          const verified = await signer.scheme.verify({ ...request, body });
          equal(verified.deliveryId, id, signer.scheme.kind);
          if (body.length === 0) continue;
          const changed = body.slice();
          const at = position % changed.length;
          changed[at] = changed[at]! ^ flip;
          await rejects(signer.scheme.verify({ ...request, body: changed }), (error: unknown) => {
            ok(
              isNetScriptError<TriggersErrorCode>(error, "TRIGGERS_SIGNATURE_INVALID"),
              `${signer.scheme.kind}: ${error}`,
            );
            return true;
          });
        }
      },
    ),
    { numRuns: 100 },
  );
});
