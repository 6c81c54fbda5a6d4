/**
 * A new job as the enqueue scripts take it: its fields as JSON, and its
 * input as JSON text.
 *
 * @module
 */
import { jobNumbers, type NewJob } from "../../ports/job_queue.ts";

/**
 * Checks a job and turns it into the two script arguments. Everything a
 * script could refuse is checked here, before anything is written, so a
 * batch is stored whole or not at all.
 *
 * @param job The job.
 * @returns Its fields (with a new id) and its input, as JSON.
 * @throws {RangeError} When the priority is not an integer, `maxAttempts`
 * is not a positive integer, or `runAt` is an invalid date.
 * @throws {TypeError} When the input cannot be serialised as JSON.
 */
export function jobArguments(job: NewJob): [string, string] {
  const { priority, maxAttempts } = jobNumbers(job);
  const fields = {
    id: crypto.randomUUID(),
    name: job.name,
    priority,
    maxAttempts,
    runAt: job.runAt === undefined ? undefined : timeArgument(job.runAt, "runAt", job.name),
    uniqueKey: job.uniqueKey,
    traceparent: job.traceparent,
  };
  return [JSON.stringify(fields), JSON.stringify(job.input) ?? "null"];
}

/**
 * A date as the milliseconds a script takes.
 *
 * @param date The date.
 * @param what What it is, for the message.
 * @param job The job's name, for the message.
 * @returns The milliseconds.
 * @throws {RangeError} When the date is invalid.
 */
export function timeArgument(date: Date, what: string, job: string): number {
  const ms = date.getTime();
  if (Number.isNaN(ms)) throw new RangeError(`The ${what} of job "${job}" is an invalid date`);
  return ms;
}
