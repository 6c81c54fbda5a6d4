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

/**
 * The JSON form of a {@linkcode NetScriptError}, as returned by `toJSON()`.
 *
 * @typeParam TCode The error's code: one of its package's catalog, or any string.
 */
export interface NetScriptErrorJson<TCode extends string = string> {
  /** Always `"NetScriptError"` or the name of a subclass. */
  name: string;
  /** The stable, machine-readable code. */
  code: TCode;
  /** The human-readable message. */
  message: string;
  /** The structured details. */
  details: NetScriptErrorDetails;
}

/**
 * A failure a caller is expected to handle, with a stable string `code`, a
 * message that says what to do, and structured `details`.
 *
 * Each NetScript package lists its codes in a typed catalog (such as
 * `PLUGIN_ERROR_CODES` of `@netscript/plugin`) and raises
 * `new NetScriptError<PluginErrorCode>(…)`, so a code outside the catalog
 * does not compile. Without a type argument the code is inferred from the
 * argument; `NetScriptError` alone means `NetScriptError<string>`.
 *
 * @typeParam TCode The error's code: one of its package's catalog, or any string.
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
 *
 * @example Raise only the codes of a catalog
 * ```ts
 * import { NetScriptError } from "@netscript/contracts";
 *
 * const BILLING_ERROR_CODES = {
 *   BILLING_CARD_DECLINED: "the bank declined the card; ask the customer for another card",
 * } as const;
 * type BillingErrorCode = keyof typeof BILLING_ERROR_CODES;
 *
 * const error = new NetScriptError<BillingErrorCode>("BILLING_CARD_DECLINED", "Card declined");
 * // new NetScriptError<BillingErrorCode>("BILLING_CARD_DECLIND", …) does not compile
 * console.log(error.code); // "BILLING_CARD_DECLINED"
 * ```
 */
export class NetScriptError<TCode extends string = string> extends Error {
  /** The stable, machine-readable code, e.g. `PLUGIN_DUPLICATE_NAME`. */
  readonly code: TCode;
  /** Structured data about the failure. */
  readonly details: NetScriptErrorDetails;

  /**
   * Creates an error.
   *
   * @param code The stable code callers branch on.
   * @param message What failed, the offending value, and what to do.
   * @param options Details and cause.
   */
  constructor(code: TCode, message: string, options: NetScriptErrorOptions = {}) {
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
  toJSON(): NetScriptErrorJson<TCode> {
    return { name: this.name, code: this.code, message: this.message, details: this.details };
  }
}

/**
 * Tells whether a value is a {@linkcode NetScriptError}, optionally with a
 * given code. Given a code, it narrows to `NetScriptError<that code>`; give
 * the catalog's type as the type argument (`isNetScriptError<CliErrorCode>(error,
 * "REGISTRY_STALE")`) and a code outside the catalog does not compile.
 *
 * @typeParam TCode The code looked for; inferred from `code`.
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
 *   if (isNetScriptError(error, "SERVICE_TIMEOUT")) {
 *     const code: "SERVICE_TIMEOUT" = error.code;
 *     console.log(code);
 *   }
 * }
 * ```
 */
export function isNetScriptError<TCode extends string = string>(
  value: unknown,
  code?: TCode,
): value is NetScriptError<TCode> {
  return value instanceof NetScriptError && (code === undefined || value.code === code);
}
