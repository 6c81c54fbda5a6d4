/**
 * Settings read from environment variables, checked: a value that cannot
 * be used stops the process with a message naming the variable, the value
 * and what it must be, instead of quietly falling back to a default.
 *
 * @module
 */
import { NetScriptError } from "@netscript/contracts/errors";
import { type EnvReader, processEnv, readVariable } from "@netscript/store";

/** Options of {@linkcode readIntegerSetting}. */
export interface IntegerSettingOptions {
  /** The value when the variable is unset or empty. */
  readonly default: number;
  /**
   * The smallest value allowed.
   * @default {Number.MIN_SAFE_INTEGER}
   */
  readonly min?: number | undefined;
  /**
   * The largest value allowed.
   * @default {Number.MAX_SAFE_INTEGER}
   */
  readonly max?: number | undefined;
  /**
   * Where the variable is read.
   * @default {processEnv}
   */
  readonly env?: EnvReader | undefined;
}

/**
 * Reads an integer setting from an environment variable: decimal digits
 * with an optional sign, within `min`..`max`.
 *
 * @param name The variable, e.g. `WORKER_CONCURRENCY`.
 * @param options The default, the bounds and where to read.
 * @returns The value, or the default when the variable is unset or empty.
 * @throws {NetScriptError} `RUNTIME_INVALID_SETTING` naming the variable, the
 * value and the range, for anything else (`abc`, `2.5`, `0` below a `min` of 1).
 *
 * @example
 * ```ts
 * import { envFrom, readIntegerSetting } from "@netscript/runtime";
 *
 * const port = readIntegerSetting("PORT", {
 *   env: envFrom({ PORT: "8091" }),
 *   default: 3000,
 *   min: 0,
 *   max: 65_535,
 * });
 * console.log(port); // 8091
 * ```
 */
export function readIntegerSetting(name: string, options: IntegerSettingOptions): number {
  const raw = readVariable(options.env ?? processEnv, name);
  if (raw === undefined) return options.default;
  const min = options.min ?? Number.MIN_SAFE_INTEGER;
  const max = options.max ?? Number.MAX_SAFE_INTEGER;
  const value = /^[+-]?\d+$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
  if (Number.isSafeInteger(value) && value >= min && value <= max) return value;
  throw invalidSetting(name, raw, `an integer${_range(min, max)}`);
}

/** Options of {@linkcode readEnumSetting}. */
export interface EnumSettingOptions<T extends string> {
  /** The values allowed, in the order messages list them. */
  readonly values: readonly T[];
  /** The value when the variable is unset or empty. */
  readonly default: T;
  /**
   * Where the variable is read.
   * @default {processEnv}
   */
  readonly env?: EnvReader | undefined;
}

/**
 * Reads a setting that must be one of a few words, e.g. a log level.
 *
 * @param name The variable, e.g. `WORKERS_LOG_LEVEL`.
 * @param options The values allowed, the default and where to read.
 * @returns The value, or the default when the variable is unset or empty.
 * @throws {NetScriptError} `RUNTIME_INVALID_SETTING` naming the variable, the
 * value and the values allowed.
 *
 * @example
 * ```ts
 * import { envFrom, readEnumSetting } from "@netscript/runtime";
 *
 * const level = readEnumSetting("WORKERS_LOG_LEVEL", {
 *   env: envFrom({ WORKERS_LOG_LEVEL: "debug" }),
 *   values: ["debug", "info", "warn", "error"],
 *   default: "info",
 * });
 * console.log(level); // "debug"
 * ```
 */
export function readEnumSetting<const T extends string>(
  name: string,
  options: EnumSettingOptions<T>,
): T {
  const raw = readVariable(options.env ?? processEnv, name);
  if (raw === undefined) return options.default;
  const found = options.values.find((value) => value === raw.trim());
  if (found !== undefined) return found;
  throw invalidSetting(name, raw, `one of ${options.values.map((v) => `"${v}"`).join(", ")}`);
}

/**
 * The error for a variable whose value cannot be used.
 *
 * @param variable The variable.
 * @param value What it holds.
 * @param expected What it must be, e.g. `an integer from 1 to 1000`.
 * @returns A `RUNTIME_INVALID_SETTING` error.
 */
export function invalidSetting(variable: string, value: string, expected: string): NetScriptError {
  return new NetScriptError(
    "RUNTIME_INVALID_SETTING",
    `${variable}=${
      JSON.stringify(value)
    } is not a valid setting: it must be ${expected}; fix it or unset it`,
    { details: { variable, value, expected } },
  );
}

function _range(min: number, max: number): string {
  const low = min > Number.MIN_SAFE_INTEGER;
  const high = max < Number.MAX_SAFE_INTEGER;
  if (low && high) return ` from ${min} to ${max}`;
  if (low) return ` of at least ${min}`;
  if (high) return ` of at most ${max}`;
  return "";
}
