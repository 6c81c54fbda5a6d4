import { FINISHED_SAGA_STATES, type StartableSaga } from "@netscript/plugin-sagas-core";
import { type JobDefinition, WATCHABLE_JOB_STATES } from "@netscript/plugin-workers-core";
import type { z } from "zod";
import {
  checkCommonOptions,
  type DispatchFunction,
  invalidTrigger,
  type TriggerDefinitionBase,
  type TriggerEventBase,
} from "./trigger_definition.ts";
import { type StateChange, stateChangeSchema } from "./state_change.ts";

/** An event trigger on one stream topic of the streams plugin. */
export interface TopicSource {
  /** The topic's name, as `plugins/streams/plugin.ts` (or another plugin) declares it. */
  readonly topic: string;
}

/** An event trigger on a job of the workers plugin reaching a state. */
export interface JobStateSource {
  /** The job: its definition (imported from its file under `jobs/`) or its name. */
  readonly job: JobDefinition | string;
  /**
   * The state: an attempt `failed` (a retry waits), `completed`, `dead`
   * (out of attempts) or `cancelled`.
   */
  readonly state: typeof WATCHABLE_JOB_STATES[number];
}

/** An event trigger on a saga of the sagas plugin finishing. */
export interface SagaStateSource {
  /** The saga: its definition (imported from its file under `sagas/`) or its name. */
  readonly saga: StartableSaga | string;
  /** The finished state: `completed`, `compensated`, `failed` or `cancelled`. */
  readonly state: "completed" | "compensated" | "failed" | "cancelled";
}

/** What an event trigger follows: a stream topic, or a job or saga reaching a state. */
export type EventSource = TopicSource | JobStateSource | SagaStateSource;

/** What an event trigger follows, as its definition keeps it (names, not definitions). */
export type EventOn =
  | {
    readonly topic: string;
    readonly job?: undefined;
    readonly saga?: undefined;
    readonly state?: undefined;
  }
  | {
    readonly job: string;
    readonly state: JobStateSource["state"];
    readonly topic?: undefined;
    readonly saga?: undefined;
  }
  | {
    readonly saga: string;
    readonly state: SagaStateSource["state"];
    readonly topic?: undefined;
    readonly job?: undefined;
  };

/**
 * What an event trigger's `dispatch` receives for one message of its topic.
 *
 * @template TPayload The message, as the trigger's `input` schema outputs it.
 */
export interface EventTriggerEvent<TPayload = unknown> extends TriggerEventBase {
  /**
   * `event` for a message read from the topic or a job's or saga's change;
   * `manual` and `replay` for the management API's.
   */
  readonly source: "event" | "manual" | "replay";
  /** The topic the trigger follows; `null` for a trigger on a job or saga. */
  readonly topic: string | null;
  /**
   * Where the message is in the topic: the offset its read started at and
   * its index in that read, `<offset>#<index>`. It is the delivery's
   * deduplication key; `null` for a manual fire, a replay, or a trigger on
   * a job or saga.
   */
  readonly offset: string | null;
  /**
   * The message, as `input` outputs it (as read, without `input`); for a
   * trigger on a job or saga, the {@linkcode StateChange}.
   */
  readonly payload: TPayload;
}

/**
 * The options of {@linkcode defineEvent} for a trigger on a stream topic.
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
  readonly on: TopicSource;
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
 * The options of {@linkcode defineEvent} for a trigger on a job or saga
 * reaching a state.
 *
 * @template TName The trigger's name.
 * @template TJob The job `dispatch` starts.
 * @template TSaga The saga `dispatch` starts.
 */
export interface StateEventOptions<
  TName extends string,
  TJob extends JobDefinition,
  TSaga extends StartableSaga = StartableSaga,
> {
  /** The trigger's name, unique in the workspace. */
  readonly name: TName;
  /** The job or saga, and the state that fires it. */
  readonly on: JobStateSource | SagaStateSource;
  /** The job or saga to start for a change, or `null` for none. */
  readonly dispatch: DispatchFunction<EventTriggerEvent<StateChange>, TJob, TSaga>;
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
  /** What it follows. */
  readonly on: EventOn;
  /** The message's schema, or `null` for any message; a trigger on a job or saga checks its {@linkcode StateChange}. */
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
 * Defines an event trigger: the `trigger-processor` records each event as
 * a delivery (once, however often a crash makes it see the event again)
 * and starts the job or saga `dispatch` returns, exactly once per event.
 * Put one `export default defineEvent(…)` in a file under `triggers/`.
 *
 * - `on: { topic }` follows a stream topic of the streams plugin; a
 *   trigger that has never read its topic starts at the oldest message the
 *   topic still keeps.
 * - `on: { job, state }` fires when a job of the workers plugin reaches
 *   `failed`, `completed`, `dead` or `cancelled`; `on: { saga, state }`
 *   when a saga of the sagas plugin ends `completed`, `compensated`,
 *   `failed` or `cancelled`. The job's or saga's store records the change
 *   in the same write as the change itself, from the moment the processor
 *   has started watching it; `event.payload` is the {@linkcode StateChange}.
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
 * const alert = defineJob({ name: "page-on-call", input: z.string(), handler: () => {} });
 * const placed = defineEvent({
 *   name: "order-placed",
 *   on: { topic: "orders" },
 *   input: z.object({ id: z.string(), total: z.number() }),
 *   dispatch: (event) => ({ job: fulfil, input: { orderId: event.payload.id } }),
 * });
 * const died = defineEvent({
 *   name: "fulfilment-died",
 *   on: { job: fulfil, state: "dead" },
 *   dispatch: (event) => ({ job: alert, input: `job ${event.payload.id}: ${event.payload.error}` }),
 * });
 * console.log(placed.on.topic, died.on.job); // "orders" "fulfil-order"
 * ```
 */
export function defineEvent<
  const TName extends string,
  TJob extends JobDefinition = JobDefinition,
  TSaga extends StartableSaga = StartableSaga,
>(
  options: StateEventOptions<TName, TJob, TSaga>,
): EventDefinition<TName, StateChange, TJob, TSaga>;
/**
 * Defines an event trigger on a stream topic: see the overload above.
 *
 * @param options The trigger.
 * @returns The frozen definition.
 * @throws {NetScriptError} `TRIGGERS_INVALID_DEFINITION`, naming the problem.
 */
export function defineEvent<
  const TName extends string,
  TSchema extends z.ZodType = z.ZodUnknown,
  TJob extends JobDefinition = JobDefinition,
  TSaga extends StartableSaga = StartableSaga,
>(
  options: EventOptions<TName, TSchema, TJob, TSaga>,
): EventDefinition<TName, z.output<TSchema>, TJob, TSaga>;
export function defineEvent(
  options:
    | EventOptions<string, z.ZodType, JobDefinition>
    | StateEventOptions<string, JobDefinition>,
): EventDefinition<string, unknown, JobDefinition> {
  checkCommonOptions("defineEvent", options);
  const on = _eventOn(options.name, options.on);
  const given = (options as { input?: unknown }).input ?? null;
  if (on.topic === undefined && given !== null) {
    throw invalidTrigger(
      "defineEvent",
      options.name,
      "input is for topic messages; a trigger on a job or saga receives its StateChange",
    );
  }
  if (given !== null && typeof (given as { safeParse?: unknown }).safeParse !== "function") {
    throw invalidTrigger("defineEvent", options.name, "input must be a zod schema");
  }
  const input = on.topic === undefined ? stateChangeSchema : given as z.ZodType | null;
  return Object.freeze({
    kind: "trigger",
    type: "event",
    name: options.name,
    on: Object.freeze(on),
    input,
    dispatch: options.dispatch as EventDefinition["dispatch"],
  });
}

/** Checks `on` and keeps it with names in place of definitions. */
function _eventOn(name: string, given: unknown): EventOn {
  const on = (given ?? {}) as Record<string, unknown>;
  const keys = ["topic", "job", "saga"].filter((key) => on[key] !== undefined);
  if (keys.length !== 1) {
    throw invalidTrigger(
      "defineEvent",
      name,
      'on must name one stream topic, job or saga, e.g. on: { topic: "orders" } or on: { job: sendEmail, state: "dead" }',
    );
  }
  if (keys[0] === "topic") {
    const topic = on.topic;
    if (typeof topic !== "string" || topic.trim().length === 0 || topic.trim() !== topic) {
      throw invalidTrigger(
        "defineEvent",
        name,
        `on.topic must be the name of a stream topic, e.g. on: { topic: "orders" }, got ${
          JSON.stringify(topic) ?? "nothing"
        }`,
      );
    }
    return { topic };
  }
  const kind = keys[0] as "job" | "saga";
  const target = on[kind];
  const targetName = typeof target === "string"
    ? target
    : (target as { name?: unknown } | null)?.name;
  if (typeof targetName !== "string" || targetName.length === 0) {
    throw invalidTrigger(
      "defineEvent",
      name,
      `on.${kind} must be a ${kind} definition or a ${kind}'s name`,
    );
  }
  const states: readonly string[] = kind === "job" ? WATCHABLE_JOB_STATES : FINISHED_SAGA_STATES;
  if (typeof on.state !== "string" || !states.includes(on.state)) {
    throw invalidTrigger(
      "defineEvent",
      name,
      `on.state must be one of ${states.join(", ")} for a ${kind}, got ${
        JSON.stringify(on.state) ?? "nothing"
      }`,
    );
  }
  return kind === "job"
    ? { job: targetName, state: on.state as JobStateSource["state"] }
    : { saga: targetName, state: on.state as SagaStateSource["state"] };
}
