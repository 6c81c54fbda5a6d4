/**
 * What a trigger's `dispatch` chose, read and started: a job through the
 * job starter with the delivery's once-key, or a saga through the saga
 * starter with the delivery's saga id. Both keys make the start
 * idempotent, so a dispatch repeated after a crash finds what the first
 * attempt started.
 *
 * @module
 */
import { isNetScriptError, NetScriptError } from "@netscript/contracts/errors";
import type {
  SagaClient,
  SagaDefinition,
  SagasCoreErrorCode,
  StartableSaga,
} from "@netscript/plugin-sagas-core";
import type {
  JobClient,
  JobDefinition,
  WorkersCoreErrorCode,
} from "@netscript/plugin-workers-core";
import type { DispatchedTarget } from "../ports/delivery_store.ts";
import type { TriggersErrorCode } from "../triggers_error_codes.ts";

/**
 * What the dispatcher starts jobs with: a workers job client's `enqueue`,
 * which it calls with the job's definition, its input and the delivery's
 * `onceKey`. A client typed by its jobs fits too.
 */
export type JobStarter = Pick<JobClient, "enqueue">;

/**
 * What the dispatcher starts sagas with: a saga client's `start`, which
 * it calls with the saga's definition, its input and the delivery's saga
 * id (`trigger-delivery-<deliveryId>`) as the idempotency key.
 */
export type SagaStarter = Pick<SagaClient, "start">;

/** What the dispatcher starts with. */
export interface TargetStarters {
  /** Starts jobs. */
  readonly jobs: JobStarter;
  /** Starts sagas, when the workspace has them. */
  readonly sagas?: SagaStarter | undefined;
}

/** What a dispatch chose, checked. */
export type ChosenTarget =
  | { readonly kind: "job"; readonly job: JobDefinition; readonly input: unknown }
  | { readonly kind: "saga"; readonly saga: StartableSaga; readonly input: unknown }
  | { readonly kind: "invalid"; readonly reason: string };

/** The prefix of a delivery's once-key in the job store. */
const ONCE_KEY_PREFIX = "trigger-delivery:";

/** The prefix of the id of the saga a delivery starts (saga ids allow no other separator a UUID lacks). */
const SAGA_ID_PREFIX = "trigger-delivery-";

/** Refusals of the job client that the same delivery would meet again: not retried. */
const JOB_REFUSALS: ReadonlySet<WorkersCoreErrorCode> = new Set([
  "WORKERS_INVALID_INPUT",
  "WORKERS_UNKNOWN_JOB",
]);

/** Refusals of the saga client that the same delivery would meet again: not retried. */
const SAGA_REFUSALS: ReadonlySet<SagasCoreErrorCode> = new Set([
  "SAGAS_INVALID_INPUT",
  "SAGAS_UNKNOWN_SAGA",
  "SAGAS_ID_CONFLICT",
  "SAGAS_NOT_JSON",
  "SAGAS_VALUE_TOO_LARGE",
]);

/** Refusals of the dispatcher itself that a retry would meet again. */
const OWN_REFUSALS: ReadonlySet<TriggersErrorCode> = new Set(["TRIGGERS_SAGAS_MISSING"]);

/**
 * Reads what a trigger's `dispatch` returned: `{ job, input }`,
 * `{ saga, input }`, or `null`.
 *
 * @param trigger The trigger's name, for the messages.
 * @param returned What `dispatch` returned.
 * @returns The target, `null` to start nothing, or why it is neither.
 */
export function chosenTarget(trigger: string, returned: unknown): ChosenTarget | null {
  if (returned === null) return null;
  const chosen = (typeof returned === "object" ? returned : {}) as {
    job?: unknown;
    saga?: unknown;
    input?: unknown;
  };
  if (chosen.job !== undefined && chosen.saga !== undefined) {
    return {
      kind: "invalid",
      reason:
        `dispatch of trigger "${trigger}" returned both a job and a saga; return { job, input } or { saga, input }, one of them`,
    };
  }
  if (_isJob(chosen.job)) return { kind: "job", job: chosen.job, input: chosen.input };
  if (_isSaga(chosen.saga)) return { kind: "saga", saga: chosen.saga, input: chosen.input };
  return {
    kind: "invalid",
    reason:
      `dispatch of trigger "${trigger}" returned neither { job, input } (a job from defineJob), { saga, input } (a saga from defineSaga) nor null`,
  };
}

/**
 * Starts a chosen job or saga, once per delivery.
 *
 * @param chosen The job or saga, and its input.
 * @param delivery The delivery's id and trigger.
 * @param starters The job and saga starters.
 * @returns What was started (or found started by an earlier attempt).
 * @throws {NetScriptError} `TRIGGERS_SAGAS_MISSING` for a saga without a
 * saga starter; the starters' errors.
 */
export async function startTarget(
  chosen: Exclude<ChosenTarget, { kind: "invalid" }>,
  delivery: { readonly id: string; readonly trigger: string },
  starters: TargetStarters,
): Promise<DispatchedTarget> {
  if (chosen.kind === "job") {
    const started = await starters.jobs.enqueue(chosen.job, chosen.input, {
      onceKey: ONCE_KEY_PREFIX + delivery.id,
    });
    return { kind: "job", name: String(chosen.job.name), id: started.id };
  }
  const name = chosen.saga.name;
  if (starters.sagas === undefined) {
    throw new NetScriptError<TriggersErrorCode>(
      "TRIGGERS_SAGAS_MISSING",
      `Cannot start saga "${name}" for trigger "${delivery.trigger}": this trigger-processor has no saga store; install the sagas plugin with \`netscript plugin add sagas\``,
      { details: { trigger: delivery.trigger, saga: name, delivery: delivery.id } },
    );
  }
  const started = await starters.sagas.start(chosen.saga as SagaDefinition, chosen.input, {
    id: SAGA_ID_PREFIX + delivery.id,
  });
  return { kind: "saga", name, id: started.id };
}

/**
 * Tells whether a start's error is a refusal the same delivery would meet
 * on every attempt (a bad input, an unknown job or saga, no saga store), so
 * the delivery fails at once instead of being retried.
 *
 * @param error What the start threw.
 * @returns `true` for such a refusal.
 */
export function isPermanentRefusal(error: unknown): error is NetScriptError {
  if (!isNetScriptError(error)) return false;
  const code = error.code as string;
  return JOB_REFUSALS.has(code as WorkersCoreErrorCode) ||
    SAGA_REFUSALS.has(code as SagasCoreErrorCode) ||
    OWN_REFUSALS.has(code as TriggersErrorCode);
}

function _isJob(value: unknown): value is JobDefinition {
  return (value as { kind?: unknown } | null)?.kind === "job";
}

function _isSaga(value: unknown): value is StartableSaga {
  const saga = value as { kind?: unknown; name?: unknown; input?: { safeParse?: unknown } } | null;
  return saga?.kind === "saga" && typeof saga.name === "string" &&
    typeof saga.input?.safeParse === "function";
}
