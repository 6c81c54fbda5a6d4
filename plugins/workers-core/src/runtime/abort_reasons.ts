import { NetScriptError } from "@netscript/contracts/errors";
import type { WorkersCoreErrorCode } from "../workers_error_codes.ts";

/** Why a worker aborted an attempt itself, as opposed to the job's own timeout. */
export type AbortKind = "lease-lost" | "shutdown";

/** The reasons this module made, by kind: recognised by identity, never by code. */
const _kinds = new WeakMap<object, AbortKind>();

function _tagged(
  error: NetScriptError<WorkersCoreErrorCode>,
  kind: AbortKind,
): NetScriptError<WorkersCoreErrorCode> {
  _kinds.set(error, kind);
  return error;
}

/**
 * The reason an attempt is aborted with when the worker lost its job's
 * lease (another worker claimed it): a `NetScriptError` with the code
 * `WORKERS_LEASE_LOST`, which the handler sees on its signal.
 *
 * @param id The job's id.
 * @returns The reason.
 */
export function leaseLostReason(id: string): NetScriptError<WorkersCoreErrorCode> {
  return _tagged(
    new NetScriptError<WorkersCoreErrorCode>(
      "WORKERS_LEASE_LOST",
      `The lease on job ${id} was lost`,
    ),
    "lease-lost",
  );
}

/**
 * The reason an attempt is aborted with when its worker stops and gives
 * the job back: a `NetScriptError` with the code `WORKERS_SHUTDOWN`.
 *
 * @returns The reason.
 */
export function shutdownReason(): NetScriptError<WorkersCoreErrorCode> {
  return _tagged(
    new NetScriptError<WorkersCoreErrorCode>("WORKERS_SHUTDOWN", "The worker is shutting down"),
    "shutdown",
  );
}

/**
 * Why the worker aborted a signal: `lease-lost` or `shutdown` when it was
 * aborted with a reason from {@linkcode leaseLostReason} or
 * {@linkcode shutdownReason}, else `undefined` (not aborted, or aborted for
 * another reason such as the job's timeout).
 *
 * @param signal An attempt's signal.
 * @returns The kind, or `undefined`.
 */
export function abortKind(signal: AbortSignal): AbortKind | undefined {
  const reason: unknown = signal.reason;
  return signal.aborted && typeof reason === "object" && reason !== null
    ? _kinds.get(reason)
    : undefined;
}
