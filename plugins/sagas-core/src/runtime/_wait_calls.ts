/**
 * `ctx.sleep` and `ctx.waitForSignal`: durable waits. A wait is recorded
 * and the saga let go; a later claim replays to it and finds it over (the
 * time came, a signal is there) or waits again.
 *
 * @module
 */
import { formatIssues } from "@netscript/contracts/errors";
import type { z } from "zod";
import type { WaitForSignalOptions } from "../dsl/saga_context.ts";
import { decodeSagaValue } from "../ports/saga_values.ts";
import type { SagaRun } from "./_saga_run.ts";
import { messageOf, recordedFailure, type RecordedFailureCode, sagaError } from "./saga_errors.ts";

/**
 * Runs `ctx.sleep(name, ms)` at the run's next position.
 *
 * @param run The saga's run.
 * @param name The sleep's name.
 * @param ms Milliseconds, ≥ 0.
 */
export async function runSleep(run: SagaRun, name: string, ms: number): Promise<void> {
  if (!Number.isFinite(ms) || ms < 0) {
    throw new RangeError(`ctx.sleep("${name}") needs milliseconds ≥ 0, got ${ms}`);
  }
  const { seq, entry } = run.next("sleep", name);
  if (entry?.state === "completed") return;
  const now = run.options.now();
  if (entry !== undefined && (entry.wakeAt === null || entry.wakeAt <= now)) {
    if (!run.collecting) run.journal.defer({ ...entry, state: "completed" });
    return;
  }
  if (run.collecting) return run.stopCollecting();
  await run.checkGoing();
  const wakeAt = entry?.wakeAt ?? new Date(now.getTime() + ms);
  await run.suspend({
    entries: entry !== undefined ? [] : [{
      seq,
      kind: "sleep",
      name,
      state: "waiting",
      result: null,
      error: null,
      attempts: 0,
      compensates: null,
      wakeAt,
    }],
    progress: { state: "waiting", release: { runAt: wakeAt } },
  }, "waiting");
}

/**
 * Runs `ctx.waitForSignal(name, options)` at the run's next position.
 *
 * @param run The saga's run.
 * @param name The signal's name.
 * @param options The payload's schema and a timeout.
 * @returns The payload.
 */
export async function runWaitForSignal<TSchema extends z.ZodType>(
  run: SagaRun,
  name: string,
  options: WaitForSignalOptions<TSchema> | undefined,
): Promise<z.output<TSchema>> {
  const { seq, entry } = run.next("signal", name);
  const schema = options?.schema;
  if (entry?.state === "completed") {
    return signalPayload(name, schema, decodeSagaValue(entry.result));
  }
  if (entry?.state === "failed") {
    const code = decodeSagaValue(entry.result) as RecordedFailureCode;
    throw recordedFailure(code, name, entry.error ?? "");
  }
  if (run.collecting) return run.stopCollecting();
  await run.checkGoing();
  const base = { seq, kind: "signal", name, attempts: 0, compensates: null } as const;
  const signal = run.claimed.signals.find((s) => s.name === name && !run.taken.has(s.id));
  if (signal !== undefined) {
    run.taken.add(signal.id);
    let payload: z.output<TSchema>;
    try {
      payload = signalPayload(name, schema, decodeSagaValue(signal.payload));
    } catch (error) {
      await run.commit({
        entries: [{
          ...base,
          state: "failed",
          result: JSON.stringify("SAGAS_INVALID_SIGNAL"),
          error: messageOf(error),
          wakeAt: null,
        }],
        takeSignal: signal.id,
      });
      throw error;
    }
    await run.commit({
      entries: [{
        ...base,
        state: "completed",
        result: signal.payload,
        error: null,
        wakeAt: null,
      }],
      takeSignal: signal.id,
    });
    return payload;
  }
  const now = run.options.now();
  const deadline = entry !== undefined
    ? entry.wakeAt
    : options?.timeout === undefined
    ? null
    : new Date(now.getTime() + options.timeout);
  if (deadline !== null && deadline <= now) {
    const message =
      `ctx.waitForSignal("${name}") timed out: no signal "${name}" arrived by ${deadline.toISOString()}`;
    await run.commit({
      entries: [{
        ...base,
        state: "failed",
        result: JSON.stringify("SAGAS_SIGNAL_TIMEOUT"),
        error: message,
        wakeAt: deadline,
      }],
    });
    throw sagaError("SAGAS_SIGNAL_TIMEOUT", message, { name, deadline: deadline.toISOString() });
  }
  return await run.suspend({
    entries: entry !== undefined
      ? []
      : [{ ...base, state: "waiting", result: null, error: null, wakeAt: deadline }],
    progress: { state: "waiting", release: { runAt: deadline } },
  }, "waiting");
}

/** A signal's payload, checked against the wait's schema (`SAGAS_INVALID_SIGNAL` when it refuses it). */
export function signalPayload<TSchema extends z.ZodType>(
  name: string,
  schema: TSchema | undefined,
  payload: unknown,
): z.output<TSchema> {
  if (schema === undefined) return payload as z.output<TSchema>;
  const parsed = schema.safeParse(payload);
  if (parsed.success) return parsed.data;
  const issues = formatIssues(parsed.error.issues, { root: "(payload)" });
  throw sagaError(
    "SAGAS_INVALID_SIGNAL",
    `The payload of signal "${name}" does not match its schema: ${
      issues.map((issue) => `${issue.path} ${issue.message}`).join("; ")
    }`,
    { name, issues },
  );
}
