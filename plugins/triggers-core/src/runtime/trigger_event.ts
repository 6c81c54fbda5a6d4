/**
 * The event a trigger's `dispatch` receives for one recorded delivery.
 *
 * @module
 */
import type { CronEvent } from "../dsl/define_cron.ts";
import type { EventTriggerEvent } from "../dsl/define_event.ts";
import type { WebhookEvent } from "../dsl/define_webhook.ts";
import type { TriggerDefinition } from "../dsl/trigger_list.ts";
import type { DeliveryRecord } from "../ports/delivery_store.ts";

/** The payload of a cron delivery: the tick it stands for. */
export interface CronPayload {
  /** The tick, as an ISO time. */
  readonly scheduledAt: string;
}

/**
 * The event for a delivery of a trigger.
 *
 * @param trigger The delivery's trigger.
 * @param delivery The delivery.
 * @returns The event to hand to `dispatch`.
 */
export function triggerEvent(
  trigger: TriggerDefinition,
  delivery: DeliveryRecord,
): WebhookEvent | CronEvent | EventTriggerEvent {
  const base = {
    trigger: delivery.trigger,
    deliveryId: delivery.id,
    receivedAt: delivery.receivedAt,
  };
  if (trigger.type === "cron") {
    const scheduled = (delivery.payload as Partial<CronPayload> | null)?.scheduledAt;
    return {
      ...base,
      source: delivery.source as CronEvent["source"],
      scheduledAt: typeof scheduled === "string" ? new Date(scheduled) : delivery.receivedAt,
    };
  }
  if (trigger.type === "event") {
    return {
      ...base,
      source: delivery.source as EventTriggerEvent["source"],
      topic: trigger.on.topic ?? null,
      offset: trigger.on.topic === undefined ? null : delivery.key,
      payload: delivery.payload,
    };
  }
  return {
    ...base,
    source: delivery.source as WebhookEvent["source"],
    key: delivery.key,
    payload: delivery.payload,
    headers: delivery.headers,
  };
}
