/**
 * Triggers for NetScript, core: the builders of a workspace's `triggers/`
 * files (`defineWebhook`, `defineCron`, `defineEvent`), verification of
 * incoming webhooks over the exact bytes received (Standard Webhooks,
 * GitHub, Stripe, a configurable HMAC scheme, signing helpers to test
 * with), the delivery store port (the outbox every delivery is recorded in
 * before anything is dispatched), the webhook ingress, the cron ticker,
 * the event follower (stream topics of the streams plugin) and the
 * dispatcher that starts each delivery's job or saga exactly once. Secrets are read from the
 * environment variable a scheme names, never from code. Adapters live on
 * `./memory`, `./kv` and `./postgres`; the conformance suite on `./testing`.
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
export {
  type CronDefinition,
  type CronEvent,
  type CronOptions,
  defineCron,
  MAX_CATCH_UP_TICKS,
  MAX_CRON_JITTER_MS,
  type MissedTicks,
} from "./src/dsl/define_cron.ts";
export {
  defineEvent,
  type EventDefinition,
  type EventOn,
  type EventOptions,
  type EventSource,
  type EventTriggerEvent,
  type JobStateSource,
  type SagaStateSource,
  type StateEventOptions,
  type TopicSource,
} from "./src/dsl/define_event.ts";
export { type StateChange, stateChangeSchema } from "./src/dsl/state_change.ts";
export {
  DEFAULT_WEBHOOK_MAX_BODY_BYTES,
  defineWebhook,
  MAX_WEBHOOK_BODY_BYTES,
  type WebhookDefinition,
  type WebhookEvent,
  type WebhookOptions,
} from "./src/dsl/define_webhook.ts";
export {
  type DispatchFunction,
  type JobDispatch,
  type SagaDispatch,
  TRIGGER_NAME_PATTERN,
  type TriggerDefinitionBase,
  type TriggerEventBase,
  type TriggerType,
} from "./src/dsl/trigger_definition.ts";
export {
  isTriggerDefinition,
  type TriggerDefinition,
  triggersByName,
} from "./src/dsl/trigger_list.ts";
export {
  type ClaimDeliveriesOptions,
  DELIVERY_SOURCES,
  DELIVERY_STATES,
  type DeliveryOutcome,
  type DeliveryPage,
  type DeliveryRecord,
  type DeliverySource,
  type DeliveryState,
  type DeliveryStats,
  type DeliveryStore,
  type DispatchedTarget,
  type ListDeliveriesOptions,
  type NewDelivery,
  type Recorded,
} from "./src/ports/delivery_store.ts";
export {
  createWebhookIngress,
  HOOKS_PATH,
  type WebhookIngress,
  type WebhookIngressOptions,
} from "./src/ingress/webhook_ingress.ts";
export {
  createCronTicker,
  type CronTicker,
  type CronTickerOptions,
  type RecordedTick,
} from "./src/runtime/cron_ticker.ts";
export {
  createEventFollower,
  type EventFollower,
  type EventFollowerOptions,
} from "./src/runtime/event_follower.ts";
export {
  createStateFollower,
  type StateFollower,
  type StateFollowerOptions,
  type StateSnapshot,
  type WatchedStore,
} from "./src/runtime/state_follower.ts";
export {
  createDispatcher,
  type Dispatcher,
  type DispatcherLimits,
  type DispatcherOptions,
} from "./src/runtime/dispatcher.ts";
export { type JobStarter, type SagaStarter } from "./src/runtime/dispatch_target.ts";
