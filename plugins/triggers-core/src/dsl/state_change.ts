/**
 * What an event trigger on a job or saga receives: the change its store
 * recorded, with the job's or saga's input (and a saga's output) as the
 * store held them when the `trigger-processor` recorded the delivery.
 *
 * @module
 */
import { z } from "zod";

/** A job or saga reaching the state an event trigger watches. */
export interface StateChange {
  /** Whether a job or a saga changed. */
  readonly kind: "job" | "saga";
  /** The job's or saga's id. */
  readonly id: string;
  /** The job's or saga's name. */
  readonly name: string;
  /** The state it reached. */
  readonly state: string;
  /**
   * The error recorded with the change: the attempt's error of a `failed`
   * or `dead` job, the error of a saga that did not complete; else `null`.
   */
  readonly error: string | null;
  /** When the change was written, as an ISO time. */
  readonly at: string;
  /** Its input; `null` when it was deleted before the change was recorded. */
  readonly input: unknown;
  /** What a completed saga returned; `null` for a job and any other saga. */
  readonly output: unknown;
}

/**
 * The schema of a {@linkcode StateChange}: what an event trigger on a job
 * or saga checks a manual fire's payload against.
 */
export const stateChangeSchema: z.ZodType<StateChange> = z.object({
  kind: z.enum(["job", "saga"]),
  id: z.string().min(1),
  name: z.string().min(1),
  state: z.string().min(1),
  error: z.string().nullable(),
  at: z.iso.datetime({ offset: true }),
  input: z.unknown().optional().transform((value) => value ?? null),
  output: z.unknown().optional().transform((value) => value ?? null),
});
