/**
 * What every delivery store can keep, checked the same way by each
 * adapter so they accept and refuse the same deliveries: JSON with no NUL
 * character and no lone UTF-16 surrogate in any string or key (PostgreSQL
 * refuses both in `jsonb` and `text`), and no value JSON would drop or
 * change silently (a function, a symbol, a bigint, a number that is not
 * finite).
 *
 * @module
 */
import {
  DELIVERY_SOURCES,
  type DeliverySource,
  type NewDelivery,
} from "../ports/delivery_store.ts";

/** A new delivery, checked, with its payload and headers as JSON text. */
export interface StorableDelivery {
  /** The trigger's name. */
  readonly trigger: string;
  /** Where it came from. */
  readonly source: DeliverySource;
  /** Its deduplication key, or `null`. */
  readonly key: string | null;
  /** The payload as JSON text. */
  readonly payload: string;
  /** The headers as JSON text. */
  readonly headers: string;
  /** `pending` or `rejected`. */
  readonly state: "pending" | "rejected";
  /** Why it was rejected, made storable. */
  readonly error: string | null;
  /** The delivery it replays. */
  readonly replayOf: string | null;
  /** The receiver's `traceparent`. */
  readonly traceparent: string | null;
  /** Where to move the trigger's cursor. */
  readonly cursor: string | null;
  /** Not claimed before this time; `null` for now. */
  readonly runAt: Date | null;
}

/**
 * Checks a new delivery and serialises its payload and headers.
 *
 * @param delivery The delivery to record.
 * @returns It, ready to store.
 * @throws {RangeError} When a field cannot be stored: the payload or
 * headers are not JSON or hold a NUL character or a lone surrogate, a
 * header is not a string, the source or state is unknown, or the trigger,
 * key, cursor, `replayOf` or `traceparent` holds a NUL character or a lone
 * surrogate.
 */
export function storableDelivery(delivery: NewDelivery): StorableDelivery {
  if (!(DELIVERY_SOURCES as readonly string[]).includes(delivery.source)) {
    throw new RangeError(`Cannot record a delivery from source ${JSON.stringify(delivery.source)}`);
  }
  const state = delivery.state ?? "pending";
  if (state !== "pending" && state !== "rejected") {
    throw new RangeError(`Cannot record a delivery in state ${JSON.stringify(state)}`);
  }
  if (delivery.runAt !== undefined && Number.isNaN(delivery.runAt.getTime())) {
    throw new RangeError("Cannot record a delivery whose runAt is an invalid date");
  }
  const headers = delivery.headers ?? {};
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value !== "string") {
      throw new RangeError(
        `Cannot record header ${JSON.stringify(name)}: its value is not a string`,
      );
    }
  }
  return {
    trigger: _text(delivery.trigger, "trigger")!,
    source: delivery.source,
    key: _text(delivery.key, "key"),
    payload: jsonText(delivery.payload, "payload"),
    headers: jsonText(headers, "headers"),
    state,
    error: delivery.error === undefined ? null : storableText(delivery.error),
    replayOf: _text(delivery.replayOf, "replayOf"),
    traceparent: _text(delivery.traceparent, "traceparent"),
    cursor: _text(delivery.cursor, "cursor"),
    runAt: delivery.runAt ?? null,
  };
}

/**
 * A string every store can keep: NUL characters and lone UTF-16
 * surrogates replaced by U+FFFD. Error messages are recorded through it,
 * so a dispatch's error can always be recorded.
 *
 * @param text The string.
 * @returns The string, with what no store holds replaced.
 */
export function storableText(text: string): string {
  return text.replaceAll("\u0000", "\uFFFD").toWellFormed();
}

/**
 * Serialises a value every store can keep as JSON.
 *
 * @param value The value.
 * @param what What it is, for the error.
 * @returns Its JSON text.
 * @throws {RangeError} When it is not JSON, or a string or key in it holds
 * a NUL character or a lone surrogate.
 */
export function jsonText(value: unknown, what: string): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value, (key, item: unknown) => {
      if (!_isStorable(key)) {
        throw new RangeError(`a key holds a NUL character or a lone surrogate`);
      }
      switch (typeof item) {
        case "string":
          if (!_isStorable(item)) {
            throw new RangeError(`a string holds a NUL character or a lone surrogate`);
          }
          return item;
        case "number":
          if (!Number.isFinite(item)) throw new RangeError(`it holds the number ${item}`);
          return item;
        case "bigint":
        case "function":
        case "symbol":
          throw new RangeError(`it holds a ${typeof item}`);
        default:
          return item;
      }
    });
  } catch (error) {
    const reason = error instanceof RangeError ? error.message : (error as Error).message;
    throw new RangeError(`Cannot store the ${what} of a delivery: ${reason}`, { cause: error });
  }
  if (text === undefined) {
    throw new RangeError(`Cannot store the ${what} of a delivery: it is not JSON`);
  }
  return text;
}

function _text(value: string | undefined, what: string): string | null {
  if (value === undefined) return null;
  if (typeof value !== "string" || !_isStorable(value)) {
    throw new RangeError(
      `Cannot record a delivery whose ${what} ${
        JSON.stringify(value)
      } holds a NUL character or a lone surrogate`,
    );
  }
  return value;
}

function _isStorable(text: string): boolean {
  return !text.includes("\u0000") && text.isWellFormed();
}
