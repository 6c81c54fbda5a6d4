/**
 * The one error type NetScript raises for conditions a caller is expected to
 * handle. It has no dependencies, so every NetScript package can use it.
 *
 * @module
 */

/** Structured, JSON-safe details attached to a {@linkcode NetScriptError}. */
export type NetScriptErrorDetails = Readonly<Record<string, unknown>>;

/** Options accepted by the {@linkcode NetScriptError} constructor. */
export interface NetScriptErrorOptions {
  /**
   * Structured data about the failure: the offending value, the names of
   * what conflicted, the variables that were looked up.
   * @default {}
   */
  details?: NetScriptErrorDetails;
  /** The underlying error, when this one wraps another. */
  cause?: unknown;
}

/** The JSON form of a {@linkcode NetScriptError}, as returned by `toJSON()`. */
export interface NetScriptErrorJson {
  /** Always `"NetScriptError"` or the name of a subclass. */
  name: string;
  /** The stable, machine-readable code. */
  code: string;
  /** The human-readable message. */
  message: string;
  /** The structured details. */
  details: NetScriptErrorDetails;
}

/**
 * A failure a caller is expected to handle, with a stable string `code`, a
 * message that says what to do, and structured `details`.
 *
 * @example Raise and inspect an error
 * ```ts
 * import { NetScriptError } from "@netscript/contracts";
 *
 * const error = new NetScriptError(
 *   "SERVICE_URL_NOT_FOUND",
 *   'Cannot find the URL of service "users": set USERS_HTTP',
 *   { details: { service: "users" } },
 * );
 * console.log(error.code, JSON.stringify(error));
 * ```
 */
export class NetScriptError extends Error {
  /** The stable, machine-readable code, e.g. `PLUGIN_DUPLICATE_NAME`. */
  readonly code: string;
  /** Structured data about the failure. */
  readonly details: NetScriptErrorDetails;

  /**
   * Creates an error.
   *
   * @param code The stable code callers branch on.
   * @param message What failed, the offending value, and what to do.
   * @param options Details and cause.
   */
  constructor(code: string, message: string, options: NetScriptErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.details = Object.freeze({ ...options.details });
  }

  /**
   * Returns the JSON form: name, code, message and details (never the stack).
   *
   * @returns The serialisable form of this error.
   */
  toJSON(): NetScriptErrorJson {
    return { name: this.name, code: this.code, message: this.message, details: this.details };
  }
}

/**
 * Tells whether a value is a {@linkcode NetScriptError}, optionally with a
 * given code.
 *
 * @param value Anything caught.
 * @param code When given, the error must also carry this code.
 * @returns `true` when `value` is a NetScript error (with that code).
 *
 * @example Branch on a code
 * ```ts
 * import { isNetScriptError } from "@netscript/contracts";
 *
 * try {
 *   throw new Error("boom");
 * } catch (error) {
 *   console.log(isNetScriptError(error, "SERVICE_TIMEOUT"));
 * }
 * ```
 */
export function isNetScriptError(value: unknown, code?: string): value is NetScriptError {
  return value instanceof NetScriptError && (code === undefined || value.code === code);
}
