/**
 * Signed timestamps: reading whole seconds from a header and holding them
 * against the tolerance window.
 *
 * @module
 */
import { NetScriptError } from "@netscript/contracts/errors";
import type { TriggersErrorCode } from "../triggers_error_codes.ts";
import type { WebhookSchemeKind } from "./webhook_scheme.ts";

/** The tolerance every timestamped scheme uses unless told otherwise: five minutes, both ways. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** Checks a scheme's `toleranceSeconds` option. */
export function checkTolerance(toleranceSeconds: number): number {
  if (!Number.isFinite(toleranceSeconds) || toleranceSeconds < 0) {
    throw new RangeError(
      `toleranceSeconds must be a finite number of seconds of at least 0, got ${toleranceSeconds}`,
    );
  }
  return toleranceSeconds;
}

/** Reads a timestamp of whole Unix seconds, or a `TRIGGERS_HEADER_INVALID` naming the header. */
export function parseTimestamp(value: string, header: string, kind: WebhookSchemeKind): number {
  if (!/^\d{1,15}$/.test(value)) {
    throw new NetScriptError<TriggersErrorCode>(
      "TRIGGERS_HEADER_INVALID",
      `Cannot verify a ${kind} webhook: the ${header} timestamp "${
        value.slice(0, 40)
      }" is not whole Unix seconds; check that the sender follows the scheme's format`,
      { details: { header, scheme: kind } },
    );
  }
  return Number(value);
}

/** Throws `TRIGGERS_TIMESTAMP_OUTSIDE_TOLERANCE` when a signed time lies too far from now. */
export function assertWithinTolerance(
  seconds: number,
  now: Date,
  toleranceSeconds: number,
  kind: WebhookSchemeKind,
): void {
  const skew = now.getTime() / 1000 - seconds;
  if (Math.abs(skew) > toleranceSeconds) {
    throw new NetScriptError<TriggersErrorCode>(
      "TRIGGERS_TIMESTAMP_OUTSIDE_TOLERANCE",
      `Cannot verify a ${kind} webhook: it was signed at ${seconds}, ${
        Math.round(Math.abs(skew))
      } s ${
        skew > 0 ? "ago" : "ahead of now"
      }, outside the ${toleranceSeconds} s tolerance; check both clocks, or treat it as a replay`,
      { details: { timestamp: seconds, now: now.toISOString(), toleranceSeconds, scheme: kind } },
    );
  }
}
