import type { StartableSaga } from "@netscript/plugin-sagas-core";
import type { JobDefinition } from "@netscript/plugin-workers-core";
import type { z } from "zod";
import {
  checkCommonOptions,
  type DispatchFunction,
  invalidTrigger,
  type TriggerDefinitionBase,
  type TriggerEventBase,
} from "./trigger_definition.ts";

/** What an event trigger follows: one stream topic of the streams plugin. */
export interface EventSource {
  /** The topic's name, as `plugins/streams/plugin.ts` (or another plugin) declares it. */
  readonly topic: string;
}

/**
 * What an event trigger's `dispatch` receives for one message of its topic.
 *
 * @template TPayload The message, as the trigger's `input` schema outputs it.
 */
export interface EventTriggerEvent<TPayload = unknown> extends TriggerEventBase {
  /** `event` for a message read from the topic; `manual` and `replay` for the management API's. */
  readonly source: "event" | "manual" | "replay";
  /** The topic the trigger follows. */
  readonly topic: string;
  /**
   * Where the message is in the topic: the offset its read started at and
   * its index in that read, `<offset>#<index>`. It is the delivery's
   * deduplication key; `null` for a manual fire or a replay.
   */
  readonly offset: string | null;
  /** The message, as `input` outputs it (as read, without `input`). */
  readonly payload: TPayload;
}

/**
 * The options of {@linkcode defineEvent}.
 *
 * @template TName The trigger's name.
 * @template TSchema The schema of one message.
 * @template TJob The job `dispatch` starts.
 * @template TSaga The saga `dispatch` starts.
 */
export interface EventOptions<
  TName extends string,
  TSchema extends z.ZodType,
  TJob extends JobDefinition,
  TSaga extends StartableSaga = StartableSaga,
> {
  /** The trigger's name, unique in the workspace. */
  readonly name: TName;
  /** The stream topic whose messages fire it. */
  readonly on: EventSource;
  /**
   * The schema of one message. A message that fails it is recorded as
   * `rejected`, with the issues, and never dispatched.
   * @default {any message}
   */
  readonly input?: TSchema | undefined;
  /** The job or saga to start for a message, or `null` for none. */
  readonly dispatch: DispatchFunction<EventTriggerEvent<z.output<TSchema>>, TJob, TSaga>;
}

/**
 * An event trigger, as {@linkcode defineEvent} returns it.
 *
 * @template TName The trigger's name.
 * @template TPayload The message's type.
 * @template TJob The job it starts.
 * @template TSaga The saga it starts.
 */
export interface EventDefinition<
  TName extends string = string,
  TPayload = unknown,
  TJob extends JobDefinition = JobDefinition,
  TSaga extends StartableSaga = StartableSaga,
> extends TriggerDefinitionBase<"event", TName> {
  /** The topic it follows. */
  readonly on: EventSource;
  /** The message's schema, or `null` for any message. */
  readonly input: z.ZodType<TPayload> | null;
  /**
   * The job or saga to start for a message. Declared as a method, so an event
   * trigger typed by its schema is still an `EventDefinition` (and a
   * `TriggerDefinition`) where any payload is expected.
   *
   * @param event The message's event.
   * @returns The job or saga to start, or `null` for none.
   */
  dispatch(
    event: EventTriggerEvent<TPayload>,
  ): ReturnType<DispatchFunction<EventTriggerEvent<TPayload>, TJob, TSaga>>;
}

/**
 * Defines an event trigger: the `trigger-processor` follows a stream topic
 * of the streams plugin, records each message as a delivery (once, however
 * often a crash makes it read the message again) and starts the job or
 * saga `dispatch` returns, exactly once per message. A trigger that has never
 * read its topic starts at the oldest message the topic still keeps. Put
 * one `export default defineEvent(…)` in a file under `triggers/`.
 *
 * @param options The trigger.
 * @returns The frozen definition.
 * @throws {NetScriptError} `TRIGGERS_INVALID_DEFINITION`, naming the problem.
 *
 * @example
 * ```ts
 * import { defineJob } from "@netscript/plugin-workers-core";
 * import { defineEvent } from "@netscript/plugin-triggers-core";
 * import { z } from "zod";
 *
 * const fulfil = defineJob({
 *   name: "fulfil-order",
 *   input: z.object({ orderId: z.string() }),
 *   handler: () => {},
 * });
 * const placed = defineEvent({
 *   name: "order-placed",
 *   on: { topic: "orders" },
 *   input: z.object({ id: z.string(), total: z.number() }),
 *   dispatch: (event) => ({ job: fulfil, input: { orderId: event.payload.id } }),
 * });
 * console.log(placed.type, placed.on.topic); // "event" "orders"
 * ```
 */
export function defineEvent<
  const TName extends string,
  TSchema extends z.ZodType = z.ZodUnknown,
  TJob extends JobDefinition = JobDefinition,
  TSaga extends StartableSaga = StartableSaga,
>(
  options: EventOptions<TName, TSchema, TJob, TSaga>,
): EventDefinition<TName, z.output<TSchema>, TJob, TSaga> {
  checkCommonOptions("defineEvent", options);
  const topic = (options.on as Partial<EventSource> | undefined)?.topic;
  if (typeof topic !== "string" || topic.trim().length === 0 || topic.trim() !== topic) {
    throw invalidTrigger(
      "defineEvent",
      options.name,
      `on.topic must be the name of a stream topic, e.g. on: { topic: "orders" }, got ${
        JSON.stringify(topic) ?? "nothing"
      }`,
    );
  }
  const input = options.input ?? null;
  if (input !== null && typeof (input as { safeParse?: unknown }).safeParse !== "function") {
    throw invalidTrigger("defineEvent", options.name, "input must be a zod schema");
  }
  return Object.freeze({
    kind: "trigger",
    type: "event",
    name: options.name,
    on: Object.freeze({ topic }),
    input: input as z.ZodType<z.output<TSchema>> | null,
    dispatch: options.dispatch,
  });
}
