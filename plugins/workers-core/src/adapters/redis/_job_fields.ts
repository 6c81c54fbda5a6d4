/**
 * A job hash as the scripts return it (`HGETALL`: field, value, …) and its
 * {@linkcode JobRecord}.
 *
 * @module
 */
import { type JobRecord, reportedState, type StoredJobState } from "../../ports/job_queue.ts";

/**
 * Converts a job's fields to the port's record. Absent fields are `null`;
 * times are milliseconds; the input is JSON text.
 *
 * @param flat The fields and values, alternating.
 * @param now The server's time, which decides whether a queued job is `scheduled`.
 * @returns The record.
 */
export function toJobRecord(flat: readonly string[], now: Date): JobRecord {
  const fields = new Map<string, string>();
  for (let i = 0; i + 1 < flat.length; i += 2) fields.set(flat[i]!, flat[i + 1]!);
  const text = (name: string) => fields.get(name) ?? null;
  const count = (name: string) => Number(fields.get(name));
  const time = (name: string) => {
    const value = fields.get(name);
    return value === undefined ? null : new Date(Number(value));
  };
  const runAt = time("runAt")!;
  return {
    id: fields.get("id")!,
    name: fields.get("name")!,
    input: JSON.parse(fields.get("input") ?? "null"),
    state: reportedState(fields.get("state") as StoredJobState, runAt, now),
    priority: count("priority"),
    runAt,
    attempts: count("attempts"),
    maxAttempts: count("maxAttempts"),
    uniqueKey: text("uniqueKey"),
    lastError: text("lastError"),
    traceparent: text("traceparent"),
    leaseOwner: text("leaseOwner"),
    leaseExpiresAt: time("leaseExpiresAt"),
    createdAt: time("createdAt")!,
    updatedAt: time("updatedAt")!,
    finishedAt: time("finishedAt"),
  };
}
