import { isJobDefinition, type JobDefinition } from "./define_job.ts";

/**
 * A job definition file as the generated `.netscript/definitions/<plugin>.ts`
 * module lists it: the file's path and its default export.
 *
 * @template TJob The file's job definition.
 */
export interface JobFile<TJob extends JobDefinition = JobDefinition> {
  /** The file, relative to the workspace root, e.g. `jobs/send_welcome_email.ts`. */
  readonly file: string;
  /** What the file default-exports. */
  readonly definition: TJob;
}

/**
 * The jobs given to `createJobClient`, `createWorker` and `jobsByName`:
 * either the definitions themselves, or the definition files list a
 * generated definitions module exports (`jobs`).
 */
export type JobList = readonly JobDefinition[] | readonly JobFile[];

/**
 * The job definitions of a {@linkcode JobList}, as a union: for
 * `[greet, resize]` or `[{ file, definition: greet }, …]`,
 * `typeof greet | typeof resize`.
 *
 * @template TList The list.
 */
export type JobsOf<TList extends JobList> = TList[number] extends infer TEntry
  ? TEntry extends JobFile<infer TJob> ? TJob : TEntry extends JobDefinition ? TEntry : never
  : never;

/**
 * The job definitions of a list, whichever shape it has: the definitions
 * as given, or the `definition` of each file of a generated definitions
 * module. The types flow through: each definition keeps its name and
 * input type.
 *
 * @param list The definitions, or the definition files.
 * @returns The definitions, in order.
 * @throws {TypeError} When an entry is neither a `defineJob(…)` definition
 * nor a file whose `definition` is one.
 *
 * @example
 * ```ts
 * import { defineJob, jobsOf } from "@netscript/plugin-workers-core";
 * import { z } from "zod";
 *
 * const greet = defineJob({ name: "greet", input: z.object({ name: z.string() }), handler: () => {} });
 * const files = [{ file: "jobs/greet.ts", definition: greet }] as const;
 * const [job] = jobsOf(files);
 * console.log(job?.name); // "greet"
 * ```
 */
export function jobsOf<TList extends JobList>(list: TList): JobsOf<TList>[] {
  return list.map((entry: unknown, index) => {
    if (isJobDefinition(entry)) return entry;
    const file = typeof entry === "object" && entry !== null && "definition" in entry
      ? entry as Partial<JobFile>
      : undefined;
    if (file !== undefined && isJobDefinition(file.definition)) return file.definition;
    throw new TypeError(
      file === undefined
        ? `Entry ${index} of the jobs list is not a job definition; pass defineJob(…) results, or the jobs list of a generated definitions module`
        : `${
          JSON.stringify(file.file ?? `entry ${index}`)
        } of the jobs list does not hold a job definition; end the file with export default defineJob({ … })`,
    );
  }) as JobsOf<TList>[];
}
