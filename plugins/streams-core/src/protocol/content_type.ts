/**
 * Content types: which streams are JSON streams (message boundaries kept,
 * arrays flattened), which are sent over SSE as text, and when two content
 * types are the same. Comparisons ignore case, as MIME types do.
 *
 * @module
 */

/** The content type a stream gets when its creator sends none. */
export const DEFAULT_CONTENT_TYPE = "application/octet-stream";

/**
 * The media type of a content type: lower-cased, without parameters.
 *
 * @param contentType A `Content-Type` value.
 * @returns E.g. `application/json` for `Application/JSON; charset=utf-8`.
 */
export function mediaTypeOf(contentType: string): string {
  return (contentType.split(";", 1)[0] ?? "").trim().toLowerCase();
}

/**
 * Whether a stream with this content type is a JSON stream.
 *
 * @param contentType The stream's content type.
 * @returns `true` for `application/json`, with or without parameters.
 */
export function isJsonContentType(contentType: string): boolean {
  return mediaTypeOf(contentType) === "application/json";
}

/**
 * Whether SSE carries this stream's data as text (`text/*` and JSON) rather
 * than base64.
 *
 * @param contentType The stream's content type.
 * @returns `true` when data events carry UTF-8 text.
 */
export function isTextContentType(contentType: string): boolean {
  const media = mediaTypeOf(contentType);
  return media.startsWith("text/") || media === "application/json";
}

/**
 * Whether two content types name the same configuration: equal ignoring
 * case and white space, parameters included.
 *
 * @param a One content type.
 * @param b The other.
 * @returns `true` when they are the same.
 */
export function sameContentType(a: string, b: string): boolean {
  const canonical = (value: string) => value.toLowerCase().replace(/\s+/g, "");
  return canonical(a) === canonical(b);
}
