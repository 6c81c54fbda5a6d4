/**
 * The error codes of the triggers plugins, as a typed catalog. Webhook
 * verification raises the signature, header, timestamp and delivery-id
 * codes: the webhook is refused (401) before its body is parsed or stored.
 * `TRIGGERS_SECRET_*` and the definition codes are configuration to fix;
 * the payload and unknown-name codes answer requests; the dispatcher fails
 * a delivery with `TRIGGERS_SAGAS_MISSING` when it has no saga store.
 *
 * @module
 */

/**
 * Every code `@netscript/plugin-triggers-core` raises, with what it means and
 * what to do.
 *
 * @example
 * ```ts
 * import { TRIGGERS_ERROR_CODES } from "@netscript/plugin-triggers-core";
 *
 * console.log(TRIGGERS_ERROR_CODES.TRIGGERS_SIGNATURE_INVALID);
 * ```
 */
export const TRIGGERS_ERROR_CODES = {
  TRIGGERS_SIGNATURE_MISSING:
    "The request has no signature header, or none in a version the scheme checks (Standard Webhooks v1, Stripe v1). Configure the sender to sign its webhooks, or pick the scheme the sender uses.",
  TRIGGERS_SIGNATURE_INVALID:
    "No signature of the request matches its body under the secret: the body was changed (or parsed and re-serialized before verification), or the secret differs from the sender's. Verify the exact bytes received, and check the secret the scheme's variable holds.",
  TRIGGERS_HEADER_MISSING:
    "A header the scheme signs or identifies deliveries with is absent (webhook-id, webhook-timestamp, X-GitHub-Delivery, the t= of Stripe-Signature, or the delivery id header an hmac scheme names); the message names it. Check that the sender is the one the scheme expects.",
  TRIGGERS_HEADER_INVALID:
    "A header the scheme reads is malformed: a timestamp that is not whole seconds, or a webhook-id holding a dot; the message names it. Check that the sender follows the scheme's format.",
  TRIGGERS_TIMESTAMP_OUTSIDE_TOLERANCE:
    "The signed timestamp lies further from now than the scheme's tolerance, in the past (a replay, or a delivery queued too long) or in the future. Check both clocks; raise toleranceSeconds only if the sender is known to lag.",
  TRIGGERS_DELIVERY_ID_MISSING:
    "A verified Stripe body is not a JSON object with a string id, so the delivery has no event id to deduplicate by. Check that the endpoint receives Stripe events, not another sender's payloads.",
  TRIGGERS_SECRET_MISSING:
    "The environment variable a scheme's secretEnv names is unset or empty, or no secret was given to verify(). Set the variable in the workspace's .env or the process environment.",
  TRIGGERS_SECRET_INVALID:
    "A Standard Webhooks secret is not base64 (after an optional whsec_ prefix) or decodes to no bytes. Copy the secret exactly as the sender shows it.",
  TRIGGERS_INVALID_DEFINITION:
    "A file under triggers/ passed defineWebhook, defineCron or defineEvent something it cannot run (a name outside the allowed characters, no dispatch function, a cron pattern croner refuses, an unknown time zone, a limit out of range, an event trigger whose on names no stream topic, job or saga, or a state that job or saga never reaches); the message names the trigger and the problem. Fix the definition and regenerate.",
  TRIGGERS_DUPLICATE_NAME:
    "Two files under triggers/ define triggers with the same name. Give each trigger its own name: it is the webhook's path and the key its deliveries are kept under.",
  TRIGGERS_PAYLOAD_INVALID:
    "A verified webhook's body is not what the trigger's input schema accepts (or is not JSON where JSON is expected). The delivery is kept as rejected, with the issues, and never dispatched; the answer is 422 with the issues and the delivery's id. Fix the sender, or widen the schema and replay the delivery.",
  TRIGGERS_PAYLOAD_UNSTORABLE:
    "A webhook's body holds text no store can keep (a NUL character or a lone surrogate in a string). Nothing was stored; the answer is 422.",
  TRIGGERS_SAGAS_MISSING:
    "A trigger's dispatch returned { saga, input }, but the trigger-processor has no saga store to start it in, because the workspace has no sagas plugin (its sagas-api is not among the services). The delivery fails and is not retried. trigger-processor also refuses to start when an event trigger watches a saga (on: { saga, state }) in a workspace without the sagas plugin. Install the sagas plugin with netscript plugin add sagas, then replay the delivery.",
  TRIGGERS_UNKNOWN_TRIGGER:
    "No trigger of that name exists in the workspace's triggers/ folder (or it is not a webhook, for /hooks/). Check the name, or add the file and regenerate.",
} as const;

/** One of {@linkcode TRIGGERS_ERROR_CODES}. */
export type TriggersErrorCode = keyof typeof TRIGGERS_ERROR_CODES;
