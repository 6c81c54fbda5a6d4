/**
 * The error codes of `@netscript/plugin-sagas-core`, as a typed catalog.
 * Its store adapters raise the framework's shared store codes instead
 * (`STORE_UNAVAILABLE`, `SCHEMA_MISSING` of `@netscript/contracts/errors`,
 * `STORE_INVALID` of `@netscript/store`).
 *
 * @module
 */

/**
 * Every code `@netscript/plugin-sagas-core` raises, with what it means and
 * what to do.
 *
 * @example
 * ```ts
 * import { SAGAS_CORE_ERROR_CODES } from "@netscript/plugin-sagas-core";
 *
 * console.log(SAGAS_CORE_ERROR_CODES.SAGAS_UNKNOWN_SAGA);
 * ```
 */
export const SAGAS_CORE_ERROR_CODES = {
  SAGAS_INVALID_DEFINITION:
    "defineSaga() was given a bad name, version, input schema, run function or retry policy; the message names the saga and the problem. Fix the saga's options.",
  SAGAS_DUPLICATE_SAGA:
    "Two saga definitions share a name and version; the message names both files. Give each its own name, or raise the version of the newer one.",
  SAGAS_UNKNOWN_SAGA:
    "A saga was started, or a stored saga is run, by a name no definition has (over HTTP, 404). Use one of the names the message lists, or add the saga under sagas/.",
  SAGAS_INVALID_INPUT:
    "A saga's input does not match its schema: at start (over HTTP, 400), or when the runner finds a stored input the schema no longer accepts (the saga fails). Fix the fields the message lists.",
  SAGAS_INVALID_ID:
    "A saga id is not 1–200 characters of letters, digits and . _ : - (over HTTP, 400). Pass an id of that form, or none to have one made.",
  SAGAS_ID_CONFLICT:
    "A saga was started with an id another saga of a different name already has (over HTTP, 409). Ids are idempotency keys: reuse one only for the same saga.",
  SAGAS_NOT_FOUND: "No saga has the id (over HTTP, 404). Check the id the start returned.",
  SAGAS_FINISHED:
    "A signal was sent to a saga that has finished (over HTTP, 409); nothing was kept. Signal sagas while they run.",
  SAGAS_NOT_RETRYABLE:
    "Only a failed saga can be retried (over HTTP, 409); the message gives its state. Wait for it to finish, or leave a finished saga as it is.",
  SAGAS_VALUE_TOO_LARGE:
    "A saga's input, a step's result, a signal's payload or an output is over the limit of 512 KiB of JSON (over HTTP, 413). Keep saga values small and pass larger data by reference (a URL, a row id).",
  SAGAS_NOT_JSON:
    "A saga's input, a step's result, a signal's payload or an output cannot be kept as JSON (a function, a bigint, a cycle, a lone surrogate, a NUL character; over HTTP, 400); the message names which. Return plain JSON data from steps.",
  SAGAS_STEP_FAILED:
    "A step's last attempt failed; `ctx.step` throws it into `run`, and unless `run` catches it the saga compensates. The message holds the step's name and its last error. Fix what the step calls, then start a new saga.",
  SAGAS_STEP_TIMEOUT:
    "A step's attempt ran past the step's timeout; its signal aborted and the attempt failed (it is retried while attempts are left). Make the step finish sooner, honour its signal, or raise its timeout.",
  SAGAS_SIGNAL_TIMEOUT:
    "`ctx.waitForSignal` waited past its timeout with no signal of its name; it throws into `run`, and unless `run` catches it the saga compensates. Raise the timeout, or catch the error in `run` to take another path.",
  SAGAS_INVALID_SIGNAL:
    "A signal's payload does not match the schema its `ctx.waitForSignal` gave; the signal is taken and `ctx.waitForSignal` throws into `run`. Send a payload of that schema.",
  SAGAS_CANCELLED:
    "The saga was cancelled: every `ctx` call after the cancel throws it, `ctx.signal` aborts with it, and the saga compensates what finished, then ends `cancelled`. Stop a step's work when its signal aborts.",
  SAGAS_NONDETERMINISTIC:
    "Replaying a saga's journal found the code asking for something else than what the journal recorded at that position (another step name or kind), or calling `ctx` twice at once; the saga fails without compensating. Restore the code it started with, or give changed code a new version; then retry the saga.",
  SAGAS_VERSION_MISSING:
    "A stored saga started on a version of its definition that the workspace no longer has; it fails without running. Keep the old definition (same name, its version) until its sagas finish, then retry them.",
  SAGAS_COMPENSATION_FAILED:
    "A compensation's last attempt failed; the saga is `failed` with this reason and the compensations left undone. Fix what the compensation calls, then retry the saga: compensation resumes where it stopped.",
  SAGAS_JOBS_MISSING:
    "`ctx.enqueue` was called in a runner given no job client. Install the workers plugin, or give `createSagaRunner` a `jobs` client.",
  SAGAS_ALREADY_STARTED: "SagaRunner.start() was called a second time. Start each runner once.",
} as const;

/** One of {@linkcode SAGAS_CORE_ERROR_CODES}. */
export type SagasCoreErrorCode = keyof typeof SAGAS_CORE_ERROR_CODES;
