/**
 * Turning a verified webhook's bytes into the payload a trigger sees, and
 * choosing which of its headers are kept with the delivery.
 *
 * @module
 */

/** The payload read from a body, or why it could not be read. */
export type ParsedPayload =
  | { readonly ok: true; readonly payload: unknown }
  | { readonly ok: false; readonly problem: string; readonly text: string };

/**
 * Reads a verified body: JSON when the content type says so (refused when
 * it does not parse); JSON when there is no content type or a `text/` one
 * and the text parses as a JSON object or array; a form-encoded body's
 * `payload` field as JSON (GitHub's form content type); otherwise the text itself.
 *
 * @param body The bytes received.
 * @param contentType The request's `content-type`, or `null`.
 * @returns The payload, or the problem with the text kept for the record.
 */
export function parseWebhookPayload(body: Uint8Array, contentType: string | null): ParsedPayload {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(body);
  } catch {
    return { ok: false, problem: "the body is not UTF-8 text", text: "" };
  }
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (type === "application/x-www-form-urlencoded") {
    const field = new URLSearchParams(text).get("payload");
    return field === null
      ? { ok: true, payload: Object.fromEntries(new URLSearchParams(text)) }
      : _json(field, "the form field payload");
  }
  if (type === "application/json" || type.endsWith("+json")) return _json(text, "the body");
  if ((type === "" || type.startsWith("text/")) && /^\s*[[{]/.test(text)) {
    const json = _json(text, "the body");
    return json.ok ? json : { ok: true, payload: text };
  }
  return { ok: true, payload: text };
}

function _json(text: string, what: string): ParsedPayload {
  try {
    return { ok: true, payload: JSON.parse(text) };
  } catch (error) {
    return { ok: false, problem: `${what} is not JSON: ${(error as Error).message}`, text };
  }
}

/** Header names whose values are credentials or signatures, never kept. */
const SECRET_HEADER = /authorization|cookie|signature|secret|token|api-?key|password/i;

/** The most headers kept with one delivery. */
const MAX_KEPT_HEADERS = 64;

/** The longest header value kept; longer ones are cut. */
const MAX_HEADER_VALUE = 1_024;

/**
 * The headers kept with a delivery for `dispatch` to read (an event type,
 * a delivery id, a user agent): lower-case names, at most
 * {@linkcode MAX_KEPT_HEADERS}, values cut at {@linkcode MAX_HEADER_VALUE}
 * characters, without credentials and signatures.
 *
 * @param headers The request's headers.
 * @returns The kept headers.
 */
export function keptHeaders(headers: Headers): Record<string, string> {
  const kept: Record<string, string> = {};
  let count = 0;
  for (const [name, value] of headers) {
    if (SECRET_HEADER.test(name)) continue;
    if (count++ === MAX_KEPT_HEADERS) break;
    kept[name] = value.length > MAX_HEADER_VALUE ? value.slice(0, MAX_HEADER_VALUE) : value;
  }
  return kept;
}
