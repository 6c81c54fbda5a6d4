/**
 * The webhook ingress `triggers-api` mounts at `/hooks/`: each request is
 * verified over its exact bytes before anything is parsed or stored, then
 * recorded in the delivery store (the outbox) before it is answered.
 *
 * @module
 */
import { formatIssues, isNetScriptError } from "@netscript/contracts/errors";
import { plainErrorResponse, readBody, storeUnavailableAnswer } from "@netscript/service";
import {
  injectTraceContext,
  type Logger,
  requestTraceContext,
  withSpan,
} from "@netscript/telemetry";
import { SpanKind } from "@opentelemetry/api";
import type { WebhookDefinition } from "../dsl/define_webhook.ts";
import type { DeliveryStore, NewDelivery } from "../ports/delivery_store.ts";
import type { TriggersErrorCode } from "../triggers_error_codes.ts";
import { readWebhookSecret, type SecretSource } from "../webhooks/webhook_scheme.ts";
import { keptHeaders, parseWebhookPayload } from "./webhook_payload.ts";

/** The path prefix webhooks are received under: `POST /hooks/<trigger>`. */
export const HOOKS_PATH = "/hooks/";

/** Options of {@linkcode createWebhookIngress}. */
export interface WebhookIngressOptions {
  /** The workspace's webhook triggers. */
  readonly webhooks: readonly WebhookDefinition[];
  /** Where deliveries are recorded. */
  readonly store: DeliveryStore;
  /** Where secrets are read, once, when the ingress is made. @default {Deno.env} */
  readonly env?: SecretSource | undefined;
  /** How long a body may take to arrive; a slower one is answered 408. @default {10000} */
  readonly bodyTimeoutMs?: number | undefined;
  /** The clock signed timestamps are held against. @default {() => new Date()} */
  readonly now?: (() => Date) | undefined;
  /** Where refused requests and failures are logged (never a secret or a body). */
  readonly logger: Logger;
}

/** A handler for every path under {@linkcode HOOKS_PATH}, as `createService`'s `mounts` take it. */
export interface WebhookIngress {
  /** Always {@linkcode HOOKS_PATH}. */
  readonly prefix: string;
  /**
   * Answers one request under the prefix.
   *
   * @param request The request, unchanged.
   * @returns The answer.
   */
  fetch(request: Request): Promise<Response>;
}

/** A webhook and its secret, or why the secret cannot be read. */
interface Receiver {
  readonly trigger: WebhookDefinition;
  readonly secret: { readonly value: string | undefined } | { readonly error: Error };
}

/**
 * Makes the webhook ingress. For `POST /hooks/<name>` it answers:
 * `202 { deliveryId, duplicate: false }` once the delivery is recorded;
 * `200 { deliveryId, duplicate: true }` for a delivery id the trigger
 * already has (the first delivery's id); `401` with the verification's
 * `TRIGGERS_*` code when the signature, its headers or its timestamp do not
 * verify (nothing stored); `413` / `408` for a body over the trigger's
 * `maxBodyBytes` or slower than `bodyTimeoutMs` (nothing stored); `422`
 * `TRIGGERS_PAYLOAD_INVALID` with the issues and the delivery's id for a
 * payload its `input` refuses (stored as `rejected`, never dispatched);
 * `404` for an unknown trigger; `405` for another method; `503` while the
 * store cannot be reached or the trigger's secret variable is unset.
 *
 * @param options The webhooks, the store, the environment and a logger.
 * @returns The mount.
 *
 * @example
 * ```ts
 * import { createMemoryDeliveryStore } from "@netscript/plugin-triggers-core/memory";
 * import { createWebhookIngress, defineWebhook, unverified } from "@netscript/plugin-triggers-core";
 * import { createLogger } from "@netscript/telemetry";
 *
 * const hook = defineWebhook({ name: "ping", verify: unverified(), dispatch: () => null });
 * const store = createMemoryDeliveryStore();
 * const ingress = createWebhookIngress({ webhooks: [hook], store, logger: createLogger({ service: "docs" }) });
 * const answer = await ingress.fetch(new Request("http://localhost/hooks/ping", { method: "POST", body: "{}" }));
 * console.log(answer.status); // 202
 * await store.close();
 * ```
 */
export function createWebhookIngress(options: WebhookIngressOptions): WebhookIngress {
  const { store, logger } = options;
  const env = options.env ?? Deno.env;
  const bodyTimeoutMs = options.bodyTimeoutMs ?? 10_000;
  const now = options.now ?? (() => new Date());
  const receivers = new Map<string, Receiver>();
  for (const trigger of options.webhooks) {
    let secret: Receiver["secret"];
    try {
      secret = { value: readWebhookSecret(trigger.verify, env) };
    } catch (error) {
      secret = { error: error as Error };
      logger.error(`webhook "${trigger.name}" cannot verify deliveries until its secret is set`, {
        error,
      });
    }
    receivers.set(trigger.name, { trigger, secret });
  }
  return {
    prefix: HOOKS_PATH,
    async fetch(request: Request): Promise<Response> {
      const name = _triggerName(new URL(request.url).pathname.slice(HOOKS_PATH.length));
      const receiver = receivers.get(name);
      if (receiver === undefined) {
        await request.body?.cancel();
        return _refuse(404, "TRIGGERS_UNKNOWN_TRIGGER", `No webhook trigger is named "${name}"`);
      }
      if (request.method !== "POST") {
        await request.body?.cancel();
        return plainErrorResponse({
          status: 405,
          code: "METHOD_NOT_ALLOWED",
          message: `Webhooks are received with POST, not ${request.method}`,
        }, { allow: "POST" });
      }
      return await withSpan(
        "webhook.receive",
        (span) => {
          span.setAttribute("netscript.trigger", name);
          return _receive(receiver, request, { store, logger, bodyTimeoutMs, now: now() });
        },
        { kind: SpanKind.SERVER, parent: requestTraceContext(request.headers) },
      );
    },
  };
}

async function _receive(
  { trigger, secret }: Receiver,
  request: Request,
  context: { store: DeliveryStore; logger: Logger; bodyTimeoutMs: number; now: Date },
): Promise<Response> {
  if ("error" in secret) {
    await request.body?.cancel();
    return plainErrorResponse({
      status: 503,
      code: "TRIGGERS_SECRET_MISSING",
      message:
        `The webhook "${trigger.name}" cannot verify deliveries: its secret variable is not set on the server`,
    });
  }
  const read = await readBody(request, {
    maxBytes: trigger.maxBodyBytes,
    timeoutMs: context.bodyTimeoutMs,
  });
  if (read.outcome === "too_large") {
    return plainErrorResponse({
      status: 413,
      code: "PAYLOAD_TOO_LARGE",
      message: `The webhook "${trigger.name}" accepts bodies up to ${trigger.maxBodyBytes} bytes`,
    }, { connection: "close" });
  }
  if (read.outcome === "timed_out") {
    return plainErrorResponse({
      status: 408,
      code: "TIMEOUT",
      message: `The request body did not arrive within ${context.bodyTimeoutMs} ms`,
    }, { connection: "close" });
  }
  if (read.outcome === "failed") {
    return plainErrorResponse({
      status: 400,
      code: "BAD_REQUEST",
      message: "The request body broke off before it ended",
    });
  }
  let deliveryKey: string;
  try {
    const verified = await trigger.verify.verify({
      body: read.bytes,
      headers: request.headers,
      secret: secret.value,
      now: context.now,
    });
    deliveryKey = verified.deliveryId;
  } catch (error) {
    if (!isNetScriptError(error)) throw error;
    context.logger.warn("webhook refused", { trigger: trigger.name, code: error.code });
    return plainErrorResponse({ status: 401, code: error.code, message: error.message });
  }
  const { delivery, issues } = _delivery(trigger, read.bytes, request.headers, deliveryKey);
  try {
    const recorded = await context.store.record(delivery);
    if (recorded.duplicate) {
      return Response.json({ deliveryId: recorded.id, duplicate: true }, { status: 200 });
    }
    if (delivery.state === "rejected") {
      return plainErrorResponse({
        status: 422,
        code: "TRIGGERS_PAYLOAD_INVALID",
        message: `The webhook "${trigger.name}" refused the payload: ${delivery.error}`,
        data: { deliveryId: recorded.id, issues },
      });
    }
    return Response.json({ deliveryId: recorded.id, duplicate: false }, { status: 202 });
  } catch (error) {
    return _storeFailure(error, trigger.name, context.logger);
  }
}

/** The trigger a path names, percent-decoded; a malformed escape is kept as sent (and names no trigger). */
function _triggerName(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The delivery a verified body makes: pending, or rejected with the problem. */
function _delivery(
  trigger: WebhookDefinition,
  body: Uint8Array,
  headers: Headers,
  key: string,
): { delivery: NewDelivery; issues: { path: string; message: string }[] } {
  const common = {
    trigger: trigger.name,
    source: "webhook",
    key,
    headers: keptHeaders(headers),
    traceparent: injectTraceContext(new Headers()).get("traceparent") ?? undefined,
  } as const;
  const parsed = parseWebhookPayload(body, headers.get("content-type"));
  if (!parsed.ok) {
    return {
      delivery: { ...common, payload: parsed.text, state: "rejected", error: parsed.problem },
      issues: [{ path: "(payload)", message: parsed.problem }],
    };
  }
  const checked = trigger.input?.safeParse(parsed.payload);
  if (checked === undefined || checked.success) {
    // The schema's output is what `dispatch` is typed to receive: defaults and transforms applied.
    const payload = checked === undefined ? parsed.payload : checked.data;
    return { delivery: { ...common, payload }, issues: [] };
  }
  const issues = formatIssues(checked.error.issues, { root: "(payload)" })
    .map(({ path, message }) => ({ path, message }));
  const error = issues.map((issue) => `${issue.path} ${issue.message}`).join("; ");
  return { delivery: { ...common, payload: parsed.payload, state: "rejected", error }, issues };
}

/** The answer when recording failed: 503 for an unusable store, 422 for unstorable text. */
function _storeFailure(error: unknown, trigger: string, logger: Logger): Response {
  const unavailable = storeUnavailableAnswer(error);
  if (unavailable !== undefined) {
    logger.error("webhook not recorded: the delivery store is unavailable", { trigger, error });
    return plainErrorResponse({
      status: 503,
      code: "SERVICE_UNAVAILABLE",
      message: unavailable.message,
    }, { "retry-after": "1" });
  }
  if (error instanceof RangeError) {
    return _refuse(
      422,
      "TRIGGERS_PAYLOAD_UNSTORABLE",
      `The webhook "${trigger}" payload cannot be stored: ${error.message}`,
    );
  }
  throw error;
}

function _refuse(status: number, code: TriggersErrorCode, message: string): Response {
  return plainErrorResponse({ status, code, message });
}
