import { formatIssues } from "@netscript/contracts/errors";
import {
  createWebhookIngress,
  type DeliveryRecord,
  type DeliveryStore,
  HOOKS_PATH,
  type NewDelivery,
  type SecretSource,
  type TriggerDefinition,
  type WebhookDefinition,
} from "@netscript/plugin-triggers-core";
import { createService, type Guard, implement, type Service } from "@netscript/service";
import { createLogger, injectTraceContext, type Logger } from "@netscript/telemetry";
import type { z } from "zod";
import {
  type DeliverySchema,
  type TriggerSchema,
  triggersContract,
} from "../../contracts/v1/mod.ts";

/** Options of {@linkcode createTriggersService}. */
export interface TriggersServiceOptions {
  /** The delivery store. */
  readonly store: DeliveryStore;
  /** The workspace's triggers, by name. */
  readonly triggers: ReadonlyMap<string, TriggerDefinition>;
  /** Where webhook secrets are read, once. @default {Deno.env} */
  readonly env?: SecretSource | undefined;
  /** How long a webhook body may take to arrive. @default {10000} */
  readonly bodyTimeoutMs?: number | undefined;
  /**
   * The logger for request lines and failures.
   * @default {a JSON logger for the service "triggers-api"}
   */
  readonly logger?: Logger | undefined;
  /**
   * Who may call it (see `createService`'s `guard`).
   * @default {a guard over auth-api when the workspace has the auth plugin}
   */
  readonly guard?: Guard | null | undefined;
}

/**
 * Creates `triggers-api`: the webhook ingress at `POST /hooks/{name}` and
 * the management contract ({@linkcode triggersContract}) at `/api/…`.
 * While the store cannot be reached, `/health`, the ingress and the
 * management procedures answer 503.
 *
 * @param options The store, the triggers, the environment and a logger.
 * @returns The service; call `serve()`.
 *
 * @example
 * ```ts
 * import { createMemoryDeliveryStore } from "@netscript/plugin-triggers-core/memory";
 * import { defineWebhook, triggersByName, unverified } from "@netscript/plugin-triggers-core";
 * import { createTriggersService } from "@netscript/plugin-triggers";
 *
 * const ping = defineWebhook({ name: "ping", verify: unverified(), dispatch: () => null });
 * const store = createMemoryDeliveryStore();
 * const service = createTriggersService({
 *   store,
 *   triggers: triggersByName([{ file: "triggers/ping.ts", definition: ping }]),
 * });
 * const answer = await service.fetch(new Request("http://localhost/hooks/ping", { method: "POST", body: "{}" }));
 * console.log(answer.status); // 202
 * await store.close();
 * ```
 */
export function createTriggersService(options: TriggersServiceOptions): Service {
  const { store, triggers } = options;
  const logger = options.logger ?? createLogger({ service: "triggers-api" });
  const webhooks = [...triggers.values()].filter((t): t is WebhookDefinition =>
    t.type === "webhook"
  );
  const ingress = createWebhookIngress({
    webhooks,
    store,
    logger,
    ...(options.env === undefined ? {} : { env: options.env }),
    ...(options.bodyTimeoutMs === undefined ? {} : { bodyTimeoutMs: options.bodyTimeoutMs }),
  });
  const os = implement(triggersContract);
  const recordChecked = async (
    trigger: TriggerDefinition,
    delivery: Omit<NewDelivery, "trigger" | "payload">,
    payload: unknown,
    refuse: (issues: { path: string; message: string }[]) => Error,
  ) => {
    const checked = trigger.type === "cron" ? undefined : trigger.input?.safeParse(payload);
    if (checked !== undefined && !checked.success) {
      throw refuse(
        formatIssues(checked.error.issues, { root: "(payload)" })
          .map(({ path, message }) => ({ path, message })),
      );
    }
    const traceparent = injectTraceContext(new Headers()).get("traceparent");
    const recorded = await store.record({
      ...delivery,
      trigger: trigger.name,
      payload: trigger.type === "cron"
        ? { scheduledAt: new Date().toISOString() }
        // A webhook or event trigger keeps what its schema outputs, as the ingress and the followers do.
        : checked !== undefined
        ? checked.data
        : payload,
      ...(traceparent === null ? {} : { traceparent }),
    });
    return { deliveryId: recorded.id };
  };
  const router = os.router({
    triggers: {
      list: os.triggers.list.handler(() => ({
        items: [...triggers.values()].map((trigger) => _trigger(trigger)),
      })),
      fire: os.triggers.fire.handler(async ({ input, errors }) => {
        const trigger = triggers.get(input.name);
        if (trigger === undefined) {
          throw errors.NOT_FOUND({ data: { resource: "trigger", id: input.name } });
        }
        return await recordChecked(
          trigger,
          { source: "manual" },
          input.payload ?? null,
          (issues) => errors.PAYLOAD_INVALID({ data: { issues } }),
        );
      }),
    },
    deliveries: {
      list: os.deliveries.list.handler(async ({ input }) => {
        const page = await store.list(input);
        return {
          items: page.items.map(_delivery),
          total: page.total,
          limit: input.limit,
          offset: input.offset,
        };
      }),
      get: os.deliveries.get.handler(async ({ input, errors }) => {
        const delivery = await store.get(input.id);
        if (delivery === null) {
          throw errors.NOT_FOUND({ data: { resource: "delivery", id: input.id } });
        }
        return _delivery(delivery);
      }),
      replay: os.deliveries.replay.handler(async ({ input, errors }) => {
        const original = await store.get(input.id);
        if (original === null) {
          throw errors.NOT_FOUND({ data: { resource: "delivery", id: input.id } });
        }
        const trigger = triggers.get(original.trigger);
        if (trigger === undefined) {
          throw errors.CONFLICT({
            message:
              `The delivery's trigger "${original.trigger}" is no longer in the workspace; it cannot be replayed`,
            data: { resource: "trigger", field: original.trigger },
          });
        }
        return await recordChecked(
          trigger,
          { source: "replay", replayOf: original.id, headers: original.headers },
          original.payload,
          (issues) => errors.PAYLOAD_INVALID({ data: { issues } }),
        );
      }),
    },
    stats: os.stats.handler(() => store.stats()),
  });
  return createService({
    name: "triggers-api",
    version: "1.0.0",
    description:
      `Triggers: webhooks received at ${HOOKS_PATH}{name}, verified and recorded before they are answered; cron ticks; messages of stream topics; their deliveries, each dispatched to a job or a saga exactly once.`,
    contract: triggersContract,
    router,
    currentVersion: "v1",
    healthChecks: { store: async () => void (await store.stats()) },
    ...(options.guard === undefined ? {} : { guard: options.guard }),
    defaultAccess: "all",
    mounts: [{
      prefix: ingress.prefix,
      fetch: (request) => ingress.fetch(request),
      access: "public",
    }],
    logger,
  });
}

/** A trigger as the API lists it. */
function _trigger(trigger: TriggerDefinition): z.input<typeof TriggerSchema> {
  const none = {
    path: null,
    verify: null,
    cron: null,
    timezone: null,
    nextTick: null,
    topic: null,
    job: null,
    saga: null,
    state: null,
  };
  switch (trigger.type) {
    case "webhook":
      return {
        ...none,
        name: trigger.name,
        type: "webhook",
        path: HOOKS_PATH + trigger.name,
        verify: trigger.verify.kind,
      };
    case "cron":
      return {
        ...none,
        name: trigger.name,
        type: "cron",
        cron: trigger.cron,
        timezone: trigger.timezone,
        nextTick: trigger.nextTick(new Date())?.toISOString() ?? null,
      };
    case "event":
      return {
        ...none,
        name: trigger.name,
        type: "event",
        topic: trigger.on.topic ?? null,
        job: trigger.on.job ?? null,
        saga: trigger.on.saga ?? null,
        state: trigger.on.state ?? null,
      };
  }
}

/** A delivery as the API returns it. */
function _delivery(record: DeliveryRecord): z.input<typeof DeliverySchema> {
  return {
    id: record.id,
    trigger: record.trigger,
    source: record.source,
    key: record.key,
    payload: record.payload,
    headers: { ...record.headers },
    state: record.state,
    attempts: record.attempts,
    error: record.error,
    target: record.target,
    replayOf: record.replayOf,
    runAt: record.runAt.toISOString(),
    receivedAt: record.receivedAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
    settledAt: record.settledAt?.toISOString() ?? null,
  };
}
