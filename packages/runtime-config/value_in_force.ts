/**
 * Which value of a topic is in force: the stored one when valid, else the
 * last valid one this process saw, else the schema's defaults. Invalid
 * stored values are warned about once per revision and never used.
 *
 * @module
 */
import { NetScriptError } from "@netscript/contracts/errors";
import type { Logger } from "@netscript/telemetry";
import type { ConfigIssue, ConfigValidation } from "./config_schema.ts";
import type { StoredConfig } from "./config_store.ts";

/** A topic's value in force, with the revision it came from (0: the schema's defaults). */
export interface ConfigSnapshot<T> {
  /** The value, with the schema's defaults filled in. */
  value: T;
  /** The stored revision it came from; 0 when nothing is stored and the defaults apply. */
  revision: number;
}

/** Options of {@linkcode ValueInForce}. */
export interface ValueInForceOptions<T> {
  /** The topic's name, for messages. */
  topic: string;
  /** Checks a value against the topic's schema and fills in defaults. */
  validate(value: unknown): ConfigValidation<T>;
  /** Where invalid stored values are reported. */
  logger: Logger;
}

/** Decides a topic's value in force, remembering the last valid one. */
export class ValueInForce<T> {
  readonly #topic: string;
  readonly #validate: (value: unknown) => ConfigValidation<T>;
  readonly #logger: Logger;
  #lastGood: ConfigSnapshot<T> | undefined;
  #warnedRevision: number | undefined;

  /**
   * Starts with no valid value seen.
   *
   * @param options The topic's name, its validator and the logger.
   */
  constructor(options: ValueInForceOptions<T>) {
    this.#topic = options.topic;
    this.#validate = (value) => options.validate(value);
    this.#logger = options.logger;
  }

  /**
   * What `get()` returns for what is stored.
   *
   * @param stored The stored value, if any.
   * @returns The stored value if valid, else the last valid one or the defaults.
   * @throws {NetScriptError} `CONFIG_NOT_SET` when nothing is stored and the
   * defaults are not valid; `CONFIG_VALUE_INVALID` when the stored value is
   * invalid and nothing valid is left to use.
   */
  current(stored: StoredConfig | undefined): ConfigSnapshot<T> {
    if (stored === undefined) return this.defaults();
    const accepted = this.#accept(stored);
    if (!("issues" in accepted)) return accepted;
    const kept = this.#fallback();
    if (kept !== undefined) return kept;
    throw new NetScriptError(
      "CONFIG_VALUE_INVALID",
      `Config topic "${this.#topic}" has an invalid value at revision ${stored.revision} and no valid value to keep: ${
        _sentences(accepted.issues)
      }; set a valid value with netscript config set ${this.#topic}`,
      { details: { topic: this.#topic, revision: stored.revision, issues: accepted.issues } },
    );
  }

  /**
   * What a watch delivers for a value it read: the first falls back like
   * {@linkcode ValueInForce.current} (without throwing); a later one only
   * when valid.
   *
   * @param stored The value the watch read.
   * @param first Whether nothing was delivered yet.
   * @returns The value to deliver, or `undefined` to deliver nothing.
   */
  next(stored: StoredConfig | undefined, first: boolean): ConfigSnapshot<T> | undefined {
    if (stored !== undefined) {
      const accepted = this.#accept(stored);
      if (!("issues" in accepted)) return accepted;
      return first ? this.#fallback() : undefined;
    }
    if (!first) return undefined;
    try {
      return this.defaults();
    } catch (error) {
      this.#logger.warn(
        `Config topic "${this.#topic}" has no valid value yet; its watchers wait for one`,
        { topic: this.#topic, error },
      );
      return undefined;
    }
  }

  /**
   * Remembers a value just written (already validated).
   *
   * @param stored The written value.
   */
  written(stored: StoredConfig): void {
    this.#accept(stored);
  }

  /**
   * The schema's defaults, filled into `{}`, at revision 0.
   *
   * @returns The defaults.
   * @throws {NetScriptError} `CONFIG_NOT_SET` when the defaults alone are not valid.
   */
  defaults(): ConfigSnapshot<T> {
    const result = this.#validate({});
    if (result.ok) return { value: result.value, revision: 0 };
    throw new NetScriptError(
      "CONFIG_NOT_SET",
      `Config topic "${this.#topic}" has no value and its schema's defaults are not a valid value: ${
        _sentences(result.issues)
      }; set one with netscript config set ${this.#topic}`,
      { details: { topic: this.#topic, issues: result.issues } },
    );
  }

  /** The stored value if valid (remembered as the last good one); else its issues, warned once per revision. */
  #accept(stored: StoredConfig): ConfigSnapshot<T> | { issues: ConfigIssue[] } {
    const result = this.#validate(stored.value);
    if (result.ok) {
      if (this.#lastGood === undefined || stored.revision >= this.#lastGood.revision) {
        this.#lastGood = { value: result.value, revision: stored.revision };
      }
      return { value: structuredClone(result.value), revision: stored.revision };
    }
    if (this.#warnedRevision !== stored.revision) {
      this.#warnedRevision = stored.revision;
      const kept = this.#lastGood === undefined
        ? "the schema's defaults"
        : `revision ${this.#lastGood.revision}`;
      this.#logger.warn(
        `Config topic "${this.#topic}" has an invalid value at revision ${stored.revision}; keeping ${kept}`,
        { topic: this.#topic, revision: stored.revision, issues: result.issues },
      );
    }
    return { issues: result.issues };
  }

  /** The last valid value seen, else the defaults when valid. */
  #fallback(): ConfigSnapshot<T> | undefined {
    if (this.#lastGood !== undefined) {
      return { value: structuredClone(this.#lastGood.value), revision: this.#lastGood.revision };
    }
    const result = this.#validate({});
    return result.ok ? { value: result.value, revision: 0 } : undefined;
  }
}

function _sentences(issues: readonly ConfigIssue[]): string {
  return issues.map((issue) => issue.message).join("; ");
}
